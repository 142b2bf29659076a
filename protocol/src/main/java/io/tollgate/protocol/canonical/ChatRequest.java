package io.tollgate.protocol.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat request in provider-neutral form, decoded from either client API.
 *
 * @param model the logical model the client asked for (echoed back to the client)
 * @param system the system prompt, or null
 * @param maxTokens output limit, or null when the client gave none
 * @param toolChoice null when the client gave none
 * @param stream whether the client wants Server-Sent Events
 * @param includeUsage whether the client asked for usage in the stream (OpenAI
 *     {@code stream_options.include_usage}); Anthropic streams always carry usage
 * @param forcedToolName when the client forced one named tool (affects the stop reason mapping)
 * @param clientApi the API the client spoke; a backend of the same family starts from
 *     {@code original}
 * @param original the client's body as sent, so a same-schema backend can keep fields the
 *     canonical form does not model (e.g. OpenAI {@code response_format}, {@code seed},
 *     Anthropic {@code thinking}, {@code metadata})
 * @param choices completions asked for (OpenAI {@code n}); 1 otherwise
 */
public record ChatRequest(
    io.tollgate.protocol.ClientApi clientApi,
    String model,
    String system,
    List<Message> messages,
    List<ToolDef> tools,
    ToolChoice toolChoice,
    Integer maxTokens,
    Double temperature,
    Double topP,
    List<String> stop,
    boolean stream,
    boolean includeUsage,
    JsonNode original,
    int choices) {

  /** A request for one completion. */
  public ChatRequest(
      io.tollgate.protocol.ClientApi clientApi, String model, String system, List<Message> messages,
      List<ToolDef> tools, ToolChoice toolChoice, Integer maxTokens, Double temperature, Double topP,
      List<String> stop, boolean stream, boolean includeUsage, JsonNode original) {
    this(clientApi, model, system, messages, tools, toolChoice, maxTokens, temperature, topP, stop, stream,
        includeUsage, original, 1);
  }

  /** This request asked as a stream (or not); a stream always asks for usage. */
  public ChatRequest withStream(boolean streamed) {
    return new ChatRequest(clientApi, model, system, messages, tools, toolChoice, maxTokens, temperature, topP, stop,
        streamed, streamed, original, choices);
  }

  /** This request with an output limit (the gateway's cap when the client gave none). */
  public ChatRequest withMaxTokens(int cap) {
    return new ChatRequest(clientApi, model, system, messages, tools, toolChoice, cap, temperature, topP, stop,
        stream, includeUsage, original, choices);
  }

  /** The most output tokens the provider may produce for this request: every completion's limit. */
  public long outputCap() {
    return maxTokens == null ? 0 : (long) maxTokens * Math.max(1, choices);
  }
}
