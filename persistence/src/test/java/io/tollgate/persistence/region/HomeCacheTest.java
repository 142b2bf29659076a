package io.tollgate.persistence.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HomeCacheTest {
  private static final Instant AT = Instant.parse("2025-05-01T10:00:00Z");

  private static TenantHome row(String region, long version, String from, boolean settled) {
    return new TenantHome("t1", region, version, AT, from, settled);
  }

  @Test
  void a_tenant_never_moved_lives_in_the_default_home() {
    HomeCache cache = new HomeCache("a");
    assertThat(cache.home("t1")).isEqualTo("a");
    assertThat(cache.current("t1").version()).isZero();
  }

  @Test
  void requests_keep_going_to_the_old_home_until_the_move_settles() {
    HomeCache cache = new HomeCache("a");
    assertThat(cache.apply(row("b", 1, "a", false))).isTrue();
    assertThat(cache.home("t1")).isEqualTo("a");
    assertThat(cache.current("t1").region()).isEqualTo("b");

    assertThat(cache.apply(row("b", 1, "a", true))).isTrue();
    assertThat(cache.home("t1")).isEqualTo("b");
  }

  @Test
  void a_late_or_repeated_notice_never_undoes_a_newer_home() {
    HomeCache cache = new HomeCache("a");
    cache.apply(row("c", 2, "b", true));

    assertThat(cache.apply(row("b", 1, "a", true))).isFalse();
    assertThat(cache.apply(row("c", 2, "b", false))).isFalse();
    assertThat(cache.apply(row("c", 2, "b", true))).isFalse();
    assertThat(cache.home("t1")).isEqualTo("c");
  }

  @Test
  void the_newest_of_a_store_read_and_the_cache_wins() {
    HomeCache cache = new HomeCache("a");
    cache.apply(row("b", 2, "a", true));
    assertThat(cache.newest("t1", row("a", 1, null, true)).version()).isEqualTo(2);
    assertThat(cache.newest("t1", row("a", 3, "b", true)).region()).isEqualTo("a");
    assertThat(cache.newest("t1", null).region()).isEqualTo("b");
  }
}
