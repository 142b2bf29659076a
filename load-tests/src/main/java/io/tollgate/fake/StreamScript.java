package io.tollgate.fake;

import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * The SSE frames of one streamed answer. Failure modes count and break {@code body} frames only.
 *
 * @param head frames before the first content (OpenAI role chunk, Anthropic message_start ...)
 * @param body one frame per word or tool-argument fragment
 * @param tail the end of the stream, including its end marker
 */
record StreamScript(List<ByteString> head, List<ByteString> body, List<ByteString> tail) {}
