package io.tollgate.protocol.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTranscriptTest {
  private static final ChatResponse ANSWER = new ChatResponse("msg_1", List.of(
      new Part.Thinking("Let me think.", "sig=="),
      new Part.Text("The answer is four, as two plus two makes four."),
      new Part.ToolCall("call_9", "calc", "{\"x\":2}")), StopReason.TOOL_USE, new Usage(10, 2, 0, 20, false));

  @Test
  void a_whole_answer_survives_the_stored_form_unchanged() {
    AnswerTranscript stored = AnswerTranscript.fromJson(AnswerTranscript.of(ANSWER).toJson());

    ChatResponse back = stored.toResponse(null);

    assertThat(back.content()).isEqualTo(ANSWER.content());
    assertThat(back.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(back.usage()).isEqualTo(ANSWER.usage());
    assertThat(stored.hasToolCalls()).isTrue();
  }

  @Test
  void streamed_deltas_are_kept_as_sent_and_joined_for_a_whole_answer() {
    AnswerTranscript t = new AnswerTranscript();
    for (StreamEvent e : List.of(new StreamEvent.Start("x", null), new StreamEvent.TextDelta("Hel"),
        new StreamEvent.TextDelta("lo"), new StreamEvent.UsageReport(Usage.ZERO), new StreamEvent.Finish(StopReason.END_TURN))) {
      t.add(e);
    }

    AnswerTranscript back = AnswerTranscript.fromJson(t.toJson());

    assertThat(back.events()).containsExactly(new StreamEvent.TextDelta("Hel"), new StreamEvent.TextDelta("lo"),
        new StreamEvent.Finish(StopReason.END_TURN));
    assertThat(back.toResponse(null).content()).containsExactly(new Part.Text("Hello"));
  }

  @Test
  void anything_that_is_not_a_stored_answer_is_refused() {
    for (String bad : new String[] {"", "{}", "{\"v\":1,\"events\":[{\"t\":\"nope\"}]}", "\u0000\u0001garbage",
        "{\"v\":1,\"events\":[{\"t\":\"finish\",\"s\":\"NOT_A_REASON\"}]}"}) {
      assertThatThrownBy(() -> AnswerTranscript.fromJson(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void long_text_is_replayed_in_pieces_that_join_to_the_whole() {
    String text = "The answer is four, as two plus two makes four. Ünïcödé 😀 at the end of a long line.";

    List<String> pieces = AnswerReplay.pieces(text);

    assertThat(pieces).hasSizeGreaterThan(10).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(24));
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(AnswerReplay.pieces(" token")).as("one streamed token stays whole").containsExactly(" token");
    assertThat(AnswerReplay.pieces("a".repeat(30))).hasSize(2);
  }
}
