package io.tollgate.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer planned for one chat request, before it is written in a provider's format.
 *
 * @param seq unique per answer; provider formats derive their ids from it
 * @param createdSeconds epoch seconds, the same on every chunk
 * @param model echoed model
 * @param textPieces the reply words, each but the first with a leading space (empty for a tool call)
 * @param toolCall the tool call, or null for a text answer
 * @param namedToolChoice the request forced one named tool
 * @param includeUsage OpenAI streams append a usage chunk
 * @param promptTokens prompt tokens, cached ones included
 * @param cachedTokens prompt tokens read from cache
 * @param completionTokens completion tokens: the words of every completion
 * @param truncated the answer stopped at the request's output cap (finish reason length / max_tokens)
 * @param choices completions in the answer (OpenAI {@code n}), each with the same text
 */
record ChatAnswer(
    long seq,
    long createdSeconds,
    String model,
    List<String> textPieces,
    ToolCall toolCall,
    boolean namedToolChoice,
    boolean includeUsage,
    int promptTokens,
    int cachedTokens,
    int completionTokens,
    boolean truncated,
    int choices) {

  /**
   * A text answer has {@code chunks} words, or as many as the request's output cap allows (then it
   * is truncated) unless the behaviour ignores the cap. Tool calls are never cut.
   */
  static ChatAnswer plan(ChatCall call, RequestPlan plan, long seq, long createdSeconds) {
    Behaviour b = plan.behaviour();
    ToolCall tool = chooseTool(call, plan, b.chunks());
    boolean truncated = tool == null && !b.ignoreMaxTokens() && call.maxTokens() != null && call.maxTokens() < b.chunks();
    int words = truncated ? call.maxTokens() : b.chunks();
    List<String> pieces = tool == null ? words(words) : List.of();
    if (b.burst() && pieces.size() > 1) {
      pieces = List.of(String.join("", pieces));
    }
    int choices = tool == null ? Math.max(1, call.choices()) : 1;
    int cached = Math.min(b.cachedTokens(), call.promptTokens());
    return new ChatAnswer(seq, createdSeconds, call.model(), pieces, tool,
        call.toolChoice() == ToolChoiceMode.NAMED, call.includeUsage(), call.promptTokens(), cached,
        tool == null ? words * choices : b.chunks(), truncated, choices);
  }

  /** Words of one completion (the stream's chunks per completion). */
  int wordsPerChoice() {
    return textPieces.size();
  }

  String text() {
    return String.join("", textPieces);
  }

  /** "Fake", " reply", " 1", " 2", ... : {@code n} pieces in all. */
  static List<String> words(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i == 0 ? "Fake" : i == 1 ? " reply" : " " + (i - 1));
    }
    return out;
  }

  private static ToolCall chooseTool(ChatCall call, RequestPlan plan, int chunks) {
    if (call.tools().isEmpty() || call.toolChoice() == ToolChoiceMode.NONE) {
      return null;
    }
    boolean forced = call.toolChoice() == ToolChoiceMode.ANY || call.toolChoice() == ToolChoiceMode.NAMED;
    if (!forced && !plan.toolRequested()) {
      return null;
    }
    String wanted = call.toolChoice() == ToolChoiceMode.NAMED ? call.toolChoiceName() : plan.toolName();
    ToolSpec spec = call.tools().get(0);
    if (wanted != null) {
      spec = call.tools().stream().filter(t -> t.name().equals(wanted)).findFirst()
          .orElse(new ToolSpec(wanted, "input"));
    }
    String args = "{" + FakeJson.quote(spec.argumentKey()) + ":\"fake\"}";
    return new ToolCall(spec.name(), spec.argumentKey(), args, split(args, Math.max(2, chunks)));
  }

  /** At least two pieces (at most one per character), as even as possible. */
  static List<String> split(String s, int wanted) {
    int n = Math.max(2, Math.min(wanted, s.length()));
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(s.substring(i * s.length() / n, (i + 1) * s.length() / n));
    }
    return out;
  }
}
