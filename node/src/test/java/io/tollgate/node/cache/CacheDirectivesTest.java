package io.tollgate.node.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheDirectivesTest {

  @Test
  void reads_no_store_no_cache_and_max_age_in_any_case_and_order() {
    CacheDirectives d = CacheDirectives.parse("Max-Age=30, NO-CACHE ,no-store");

    assertThat(d.noStore()).isTrue();
    assertThat(d.noCache()).isTrue();
    assertThat(d.maxAgeMillis()).isEqualTo(30_000);
  }

  @Test
  void no_header_or_unknown_and_malformed_directives_leave_the_cache_as_it_is() {
    assertThat(CacheDirectives.parse(null)).isEqualTo(CacheDirectives.NONE);
    assertThat(CacheDirectives.parse("private, max-age=soon, max-age=-1")).isEqualTo(CacheDirectives.NONE);
    assertThat(CacheDirectives.NONE.maxAgeMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void a_huge_max_age_does_not_overflow() {
    assertThat(CacheDirectives.parse("max-age=99999999999999").maxAgeMillis()).isPositive();
  }
}
