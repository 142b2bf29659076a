package io.tollgate.persistence.tenantadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger loads = new AtomicInteger();
  private final TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(10), 3, now::get);

  private CompletableFuture<String> load(String key) {
    loads.incrementAndGet();
    return CompletableFuture.completedFuture("v" + loads.get() + ":" + key);
  }

  @Test
  void reuses_an_answer_until_it_expires() {
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("v1:a");
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("v1:a");
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("v2:a");
  }

  @Test
  void concurrent_misses_share_one_load_and_a_failed_load_is_not_kept() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    var first = cache.get("a", k -> {
      loads.incrementAndGet();
      return pending;
    });
    var second = cache.get("a", this::load);
    assertThat(loads).hasValue(1);

    pending.completeExceptionally(new IllegalStateException("cassandra down"));

    assertThat(first.toCompletableFuture()).isCompletedExceptionally();
    assertThat(second.toCompletableFuture()).isCompletedExceptionally();
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("v2:a");
  }

  @Test
  void put_and_invalidate_replace_what_is_cached() {
    cache.get("a", this::load).toCompletableFuture().join();
    cache.put("a", "changed here");
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("changed here");
    cache.invalidate("a");
    assertThat(cache.get("a", this::load).toCompletableFuture().join()).isEqualTo("v2:a");
  }

  @Test
  void never_holds_many_more_keys_than_its_bound() {
    for (int i = 0; i < 100; i++) {
      cache.get("key-" + i, this::load).toCompletableFuture().join();
      assertThat(cache.size()).isLessThanOrEqualTo(4);
    }
  }
}
