package io.tollgate.node.proxy;

import io.tollgate.protocol.translate.ChatTranslator;

/**
 * Receives the translator of the answer a call served, once that answer has ended (a whole answer
 * once translated, a stream once relayed to its end, however it ended), with its transcript kept.
 */
public interface AnswerSink {
  void answered(ChatTranslator translator, boolean streamed);
}
