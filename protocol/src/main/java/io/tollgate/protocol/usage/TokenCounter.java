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

  /** Prompt tokens of a request: system, every message part and the tool definitions. */
  public static long countPrompt(ChatRequest request) {
    long total = PER_MESSAGE;
    if (request.system() != null) {
      total += count(request.system()) + PER_MESSAGE;
    }
    for (Message m : request.messages()) {
      total += PER_MESSAGE;
      for (Part p : m.parts()) {
        total += countPart(p);
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
    if (p instanceof Part.Image) return 85; // OpenAI's flat cost of a low-detail image tile
    return 0;
  }
}
