package io.tollgate.protocol.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.ToolDef;

/**
 * Counts tokens where the provider did not: a stream cut or abandoned before its usage arrived.
 * Uses OpenAI's o200k_base encoding for every model; for other providers' tokenizers this is an
 * estimate (typically within 10–20 %), which the audit record marks as estimated.
 */
public final class TokenCounter {
  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  /** Per-message framing tokens, as in OpenAI's own counting recipe. */
  private static final int PER_MESSAGE = 3;

  private TokenCounter() {}

  public static int count(CharSequence text) {
    return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text.toString());
  }

  /** OpenAI's flat cost of a low-detail image; what an image counts in an estimate of what was sent. */
  public static final int LOW_DETAIL_IMAGE_TOKENS = 85;

  /** Prompt tokens of a request: system, every message part and the tool definitions. */
  public static long countPrompt(ChatRequest request) {
    return countPrompt(request, LOW_DETAIL_IMAGE_TOKENS);
  }

  /** Images in a request's messages. */
  public static int images(ChatRequest request) {
    int n = 0;
    for (Message m : request.messages()) {
      for (Part p : m.parts()) {
        n += p instanceof Part.Image ? 1 : 0;
      }
    }
    return n;
  }

  /** As {@link #countPrompt(ChatRequest)}, with each image counted as {@code imageTokens}. */
  public static long countPrompt(ChatRequest request, int imageTokens) {
    long total = PER_MESSAGE;
    if (request.system() != null) {
      total += count(request.system()) + PER_MESSAGE;
    }
    for (Message m : request.messages()) {
      total += PER_MESSAGE;
      for (Part p : m.parts()) {
        total += p instanceof Part.Image ? imageTokens : countPart(p);
      }
    }
    if (request.tools() != null) {
      for (ToolDef t : request.tools()) {
        total += count(t.name()) + (t.description() == null ? 0 : count(t.description()))
            + (t.parameters() == null ? 0 : count(t.parameters().toString()));
      }
    }
    return total;
  }

  private static long countPart(Part p) {
    if (p instanceof Part.Text t) return count(t.text());
    if (p instanceof Part.ToolCall c) return count(c.name()) + count(c.argumentsJson());
    if (p instanceof Part.ToolResult r) return count(r.content());
    if (p instanceof Part.Thinking th) return count(th.text());
    return 0;
  }
}
