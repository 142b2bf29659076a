package io.tollgate.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.fake.Behaviour.Failure;
import org.junit.jupiter.api.Test;

class DirectivesTest {
  private final Behaviour base = Behaviour.defaults().withChunkDelayMillis(7);

  @Test
  void text_without_a_directive_keeps_the_base_behaviour() {
    RequestPlan plan = Directives.apply("plain question", base);

    assertThat(plan.behaviour()).isEqualTo(base);
    assertThat(plan.toolRequested()).isFalse();
  }

  @Test
  void applies_every_key_of_a_directive_on_top_of_the_base() {
    RequestPlan plan = Directives.apply("hi [[fake:fail=429, retry-after=2,chunks=20,ttft=15]] there", base);

    assertThat(plan.behaviour().failure()).isEqualTo(Failure.STATUS_429);
    assertThat(plan.behaviour().retryAfterSeconds()).isEqualTo(2);
    assertThat(plan.behaviour().chunks()).isEqualTo(20);
    assertThat(plan.behaviour().ttftMillis()).isEqualTo(15);
    assertThat(plan.behaviour().chunkDelayMillis()).isEqualTo(7);
  }

  @Test
  void reads_flags_and_failure_positions() {
    assertThat(Directives.apply("[[fake:hang]]", base).behaviour().failure()).isEqualTo(Failure.HANG);
    assertThat(Directives.apply("[[fake:cut=3]]", base).behaviour())
        .extracting(Behaviour::failure, Behaviour::failureAfterChunks).containsExactly(Failure.CUT_AFTER_N, 3);
    assertThat(Directives.apply("[[fake:tool=search]]", base))
        .extracting(RequestPlan::toolRequested, RequestPlan::toolName).containsExactly(true, "search");
  }

  @Test
  void ignores_unknown_keys_and_bad_numbers() {
    RequestPlan plan = Directives.apply("[[fake:colour=blue,chunks=lots,delay=-4]]", base);

    assertThat(plan.behaviour()).isEqualTo(base);
  }

  @Test
  void a_directive_with_only_applies_to_that_upstream_model_alone() {
    Behaviour base = Behaviour.defaults();
    String text = "[[fake:fail=500,only=gpt-4o-mini]] hi";
    assertThat(Directives.apply(text, base, "gpt-4o-mini").behaviour().failure()).isEqualTo(Failure.STATUS_500);
    assertThat(Directives.apply(text, base, "claude-haiku-4-5").behaviour().failure()).isEqualTo(Failure.NONE);
  }
}
