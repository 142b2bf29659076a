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
 * SSE frames, one chunk per stored delta (text stored whole is cut at word boundaries), each
 * response with a fresh id and the requesting client's stream options.
 */
public final class AnswerReplay {
  /** A replayed text delta longer than this is cut into pieces at spaces. */
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
      if (e instanceof StreamEvent.TextDelta t && t.text().length() > MAX_CHUNK_CHARS) {
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

  /** {@code text} in pieces of about {@link #MAX_CHUNK_CHARS}, each ending after a space where there is one. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + MAX_CHUNK_CHARS);
      if (end < text.length()) {
        int space = text.lastIndexOf(' ', end - 1);
        if (space > start) {
          end = space + 1;
        }
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
          end++;
        }
      }
      out.add(text.substring(start, end));
      start = end;
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
