package io.tollgate.protocol.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  void openai_prompt_tokens_include_cached_tokens_which_are_split_out() {
    Usage u = Usage.fromOpenAi(2006, 1920, 300);

    assertThat(u.inputTokens()).isEqualTo(86);
    assertThat(u.cacheReadTokens()).isEqualTo(1920);
    assertThat(u.cacheWriteTokens()).isZero();
    assertThat(u.outputTokens()).isEqualTo(300);
    assertThat(u.totalInputTokens()).isEqualTo(2006);
    assertThat(u.totalTokens()).isEqualTo(2306);
    assertThat(u.estimated()).isFalse();
  }

  @Test
  void anthropic_input_tokens_exclude_cache_reads_and_writes_which_are_added_to_the_total() {
    Usage u = Usage.fromAnthropic(120, 2000, 1500, 300);

    assertThat(u.inputTokens()).isEqualTo(120);
    assertThat(u.cacheReadTokens()).isEqualTo(2000);
    assertThat(u.cacheWriteTokens()).isEqualTo(1500);
    assertThat(u.totalInputTokens()).isEqualTo(3620);
    assertThat(u.totalTokens()).isEqualTo(3920);
  }

  @Test
  void the_same_prompt_reported_by_either_provider_normalises_to_the_same_usage() {
    assertThat(Usage.fromOpenAi(1000, 800, 50)).isEqualTo(Usage.fromAnthropic(200, 800, 0, 50));
  }

  @Test
  void cached_tokens_above_the_prompt_never_make_input_negative() {
    assertThat(Usage.fromOpenAi(10, 12, 1).inputTokens()).isZero();
  }

  @Test
  void can_be_marked_estimated() {
    Usage u = Usage.fromAnthropic(1, 2, 3, 4).withEstimated(true);

    assertThat(u.estimated()).isTrue();
    assertThat(u.withEstimated(false)).isEqualTo(Usage.fromAnthropic(1, 2, 3, 4));
  }
}
