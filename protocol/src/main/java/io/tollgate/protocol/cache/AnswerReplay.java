package io.tollgate.protocol.cache;

import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.anthropic.AnthropicClientCodec;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.translate.codec.ClientCodec;
import io.tollgate.protocol.translate.codec.ClientStreamEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a stored answer for a new request in the client's own API: a whole answer, or a stream of
 * SSE frames, chunk by chunk (stored text is cut into word-sized pieces), each
 * response with a fresh id and the requesting client's stream options.
 */
public final class AnswerReplay {
  /** A replayed text piece is at most this long (a word longer than that is cut). */
  static final int MAX_CHUNK_CHARS = 24;

  private AnswerReplay() {}

  public static byte[] whole(ChatRequest request, AnswerTranscript answer) {
    return codec(request.clientApi()).encodeResponse(request, answer.toResponse(null));
  }

  /** The stream's frames in order, each a complete chunk for the client. */
  public static List<String> stream(ChatRequest request, AnswerTranscript answer) {
    ClientStreamEncoder encoder = codec(request.clientApi()).newStreamEncoder(request);
    List<String> frames = new ArrayList<>();
    add(frames, encoder.encode(new StreamEvent.Start(null, answer.usage())));
    for (StreamEvent e : answer.events()) {
      if (e instanceof StreamEvent.TextDelta t) {
        for (String piece : pieces(t.text())) {
          add(frames, encoder.encode(new StreamEvent.TextDelta(piece)));
        }
      } else {
        add(frames, encoder.encode(e));
      }
    }
    add(frames, encoder.finish(answer.usage()));
    return frames;
  }

  /**
   * {@code text} in word-sized pieces, as a provider would stream it: a piece ends after a space
   * that follows a word, or at {@link #MAX_CHUNK_CHARS}. A single streamed token ({@code " word"})
   * stays one piece.
   */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    boolean word = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean full = i + 1 - start >= MAX_CHUNK_CHARS && !Character.isHighSurrogate(c);
      if ((c == ' ' && word) || full) {
        out.add(text.substring(start, i + 1));
        start = i + 1;
        word = false;
      } else if (c != ' ') {
        word = true;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  private static void add(List<String> frames, String frame) {
    if (!frame.isEmpty()) {
      frames.add(frame);
    }
  }

  private static ClientCodec codec(ClientApi api) {
    return api == ClientApi.ANTHROPIC ? AnthropicClientCodec.INSTANCE : OpenAiClientCodec.INSTANCE;
  }
}
