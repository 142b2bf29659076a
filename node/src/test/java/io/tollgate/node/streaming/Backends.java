package io.tollgate.node.streaming;

import io.tollgate.node.testing.StreamingClient;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The demo models, one per backend schema behind the fake provider, crossed with both client APIs. */
final class Backends {
  static final String OPENAI = "demo-openai";
  static final String ANTHROPIC = "demo-anthropic";
  static final String GEMINI = "demo-gemini";

  private Backends() {}

  /** Every (client, model) pair. */
  static Stream<Arguments> everyClientOnEveryBackend() {
    return Stream.of(StreamingClient.values())
        .flatMap(client -> Stream.of(OPENAI, ANTHROPIC, GEMINI).map(model -> Arguments.of(client, model)));
  }

  /** The fake's answer text for a given chunk count: "Fake reply 1 2 ...". */
  static String fakeText(int chunks) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      out.append(i == 0 ? "Fake" : i == 1 ? " reply" : " " + (i - 1));
    }
    return out.toString();
  }
}
