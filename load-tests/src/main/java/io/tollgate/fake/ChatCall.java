package io.tollgate.fake;

import java.util.List;

/**
 * A chat request, read from any provider format into what the fake needs to answer it.
 *
 * @param model the model the request named (the deployment for Azure, the path model for Gemini)
 * @param stream whether the answer streams
 * @param includeUsage OpenAI {@code stream_options.include_usage}
 * @param lastUserText text of the last user message, where directives live
 * @param promptTokens the fake's deterministic prompt token count (see {@link TextCount})
 * @param tools the tools the request defined
 * @param toolChoice the tool choice
 * @param toolChoiceName the tool named by the choice, when {@link ToolChoiceMode#NAMED}
 * @param maxTokens the request's output cap per completion, or null when it set none
 * @param choices completions asked for (OpenAI {@code n}); 1 otherwise
 */
record ChatCall(
    String model,
    boolean stream,
    boolean includeUsage,
    String lastUserText,
    int promptTokens,
    List<ToolSpec> tools,
    ToolChoiceMode toolChoice,
    String toolChoiceName,
    Integer maxTokens,
    int choices) {

  /** A positive integer field of {@code node}, or null when absent or not one. */
  static Integer positive(com.fasterxml.jackson.databind.JsonNode node, String field) {
    com.fasterxml.jackson.databind.JsonNode v = node.path(field);
    return v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 1 ? v.intValue() : null;
  }
}
