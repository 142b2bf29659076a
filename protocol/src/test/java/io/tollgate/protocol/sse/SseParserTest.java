package io.tollgate.protocol.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {
  private static final String TRANSCRIPT =
      ": keep-alive\r\n"
          + "event: message_start\r\n"
          + "data: {\"text\":\"caf\u00e9 \u2615 \uD83D\uDE00\"}\r\n"
          + "\r\n"
          + "data: line one\n"
          + "data: line two\n"
          + "\n"
          + ":another comment\n"
          + "data:no-space\r"
          + "\r"
          + "data: [DONE]\n"
          + "\n";

  private static final List<SseEvent> EXPECTED = List.of(
      new SseEvent("message_start", "{\"text\":\"caf\u00e9 \u2615 \uD83D\uDE00\"}"),
      new SseEvent(null, "line one\nline two"),
      new SseEvent(null, "no-space"),
      new SseEvent(null, "[DONE]"));

  private static List<SseEvent> feedInChunksOf(byte[] bytes, int size) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (int offset = 0; offset < bytes.length; offset += size) {
      events.addAll(parser.feed(bytes, offset, Math.min(size, bytes.length - offset)));
    }
    events.addAll(parser.finish());
    return events;
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 2, 3, 5, 7, 13, 64, 4096})
  void yields_the_same_events_wherever_the_chunks_are_cut(int size) {
    byte[] bytes = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);

    assertThat(feedInChunksOf(bytes, size)).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void decodes_a_multi_byte_character_split_across_chunks() {
    byte[] bytes = "data: \u2615\n\n".getBytes(StandardCharsets.UTF_8);
    SseParser parser = new SseParser();

    List<SseEvent> first = parser.feed(bytes, 0, 7); // cuts after the first byte of the 3-byte character
    List<SseEvent> rest = parser.feed(bytes, 7, bytes.length - 7);

    assertThat(first).isEmpty();
    assertThat(rest).containsExactly(new SseEvent(null, "\u2615"));
  }

  @Test
  void treats_a_crlf_split_between_chunks_as_one_line_end() {
    SseParser parser = new SseParser();

    List<SseEvent> events = new ArrayList<>(parser.feed("data: a\r".getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.feed("\n\r".getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.feed("\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(events).containsExactly(new SseEvent(null, "a"), new SseEvent(null, "b"));
  }

  @Test
  void skips_comment_only_streams() {
    SseParser parser = new SseParser();

    List<SseEvent> events = new ArrayList<>(parser.feed(": ping\n\n: ping\n\n".getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.finish());

    assertThat(events).isEmpty();
  }

  @Test
  void returns_a_last_event_not_followed_by_a_blank_line_at_finish() {
    SseParser parser = new SseParser();

    assertThat(parser.feed("data: tail".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(parser.finish()).containsExactly(new SseEvent(null, "tail"));
  }

  @Test
  void refuses_an_event_larger_than_its_bound() {
    SseParser parser = new SseParser(16);

    assertThatThrownBy(() -> parser.feed("data: 0123456789012345678901234567890".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalStateException.class);
  }
}
