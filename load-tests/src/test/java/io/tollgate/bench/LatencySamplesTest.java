package io.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {

  @Test
  void nearest_rank_percentiles_over_merged_samples() {
    LatencySamples a = new LatencySamples();
    LatencySamples b = new LatencySamples();
    for (int ms = 100; ms >= 1; ms--) {
      (ms % 2 == 0 ? a : b).add(ms * 1_000_000L);
    }

    LatencySamples all = LatencySamples.merge(List.of(a, b));

    assertThat(all.size()).isEqualTo(100);
    assertThat(all.percentileMillis(50)).isEqualTo(50.0);
    assertThat(all.percentileMillis(90)).isEqualTo(90.0);
    assertThat(all.percentileMillis(99)).isEqualTo(99.0);
    assertThat(all.percentileMillis(100)).isEqualTo(100.0);
  }

  @Test
  void no_samples_give_no_percentile() {
    assertThat(LatencySamples.merge(List.of(new LatencySamples())).percentileMillis(50)).isNaN();
  }
}
