package io.tollgate.node.budget.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionReportTest {

  private static CaseResult result(String tenant, int callers, long... micros) {
    long[] nanos = new long[micros.length];
    for (int i = 0; i < micros.length; i++) {
      nanos[i] = micros[i] * 1000;
    }
    Percentiles p = Percentiles.of(nanos.clone(), nanos.length);
    Percentiles waits = Percentiles.of(new long[] {120_000_000L}, 1);
    return new CaseResult(tenant, callers, micros.length, 0, 1, 1.0, 2.5, p, p, p, waits);
  }

  @Test
  void percentiles_are_nearest_rank_in_microseconds() {
    long[] nanos = new long[1000];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (1000 - i) * 1000L;
    }

    Percentiles p = Percentiles.of(nanos, nanos.length);

    assertThat(p.p50()).isEqualTo(500.0);
    assertThat(p.p90()).isEqualTo(900.0);
    assertThat(p.p99()).isEqualTo(990.0);
    assertThat(p.p999()).isEqualTo(999.0);
    assertThat(p.max()).isEqualTo(1000.0);
  }

  @Test
  void reports_what_the_lease_path_adds_against_the_target_per_callers_count() {
    String report = AdmissionReport.render(List.of("machine: test"), List.of(
        result(AdmissionReport.NO_LIMITS, 1, 1, 1, 1),
        result(AdmissionReport.WITH_LIMITS, 1, 4, 4, 4),
        result(AdmissionReport.NO_LIMITS, 64, 10, 10, 10),
        result(AdmissionReport.WITH_LIMITS, 64, 70, 70, 70)));

    assertThat(report).contains("- machine: test");
    assertThat(report).contains("| with limits | 64 | 3 | 0 | 1 | 3 | 2.50 | 70.00 |");
    assertThat(report).contains("| 70.00 | 70.00 | 120.0 | 120.0 |");
    assertThat(report).contains("| 1 | 4.00 | 3.00 | 3.00 | 3.00 | 1.000 | yes |");
    assertThat(report).contains("| 64 | 7.00 | 60.00 | 60.00 | 60.00 | 1.000 | no |");
  }
}
