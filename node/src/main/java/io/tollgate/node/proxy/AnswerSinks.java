package io.tollgate.node.proxy;

import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.translate.ClientResponse;
import java.util.function.BiFunction;

/** Tells a call's {@link AnswerSink} (if it has one) about a whole answer as it is translated for the client. */
final class AnswerSinks {
  private AnswerSinks() {}

  /**
   * {@code translate}, and then, for a successful answer, the sink.
   *
   * @param streamed the answer was read from a provider stream (its clean end is the translator's to say)
   */
  static BiFunction<Integer, byte[], ClientResponse> notifying(
      CallContext ctx, ChatTranslator t, BiFunction<Integer, byte[], ClientResponse> translate, boolean streamed) {
    if (ctx.answerSink().isEmpty() || t.clientStreams()) {
      return translate;
    }
    AnswerSink sink = ctx.answerSink().get();
    return (status, body) -> {
      ClientResponse answer = translate.apply(status, body);
      if (answer.ok() && answer.status() / 100 == 2) {
        sink.answered(t, streamed);
      }
      return answer;
    };
  }
}
