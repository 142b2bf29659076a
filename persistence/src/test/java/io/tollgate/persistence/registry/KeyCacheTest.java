package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node-local key cache on its own: a map stands in for Cassandra, a counter for the clock. */
class KeyCacheTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Map<String, KeyInfo> rows = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<KeyInfo>>> heldReads = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();

  private KeyCache cache(int maxKeys, int maxRefusals, int maxReads) {
    KeyDirectorySettings settings = new KeyDirectorySettings(maxKeys, maxRefusals,
        Duration.ofSeconds(1), 1_000, Duration.ofSeconds(60), maxReads, Duration.ofMillis(500), Duration.ofSeconds(3),
        Duration.ofHours(23), RegistryTopic.TOPIC_NAME);
    return new KeyCache(settings, this::read, nanos::get, Runnable::run);
  }

  private CompletionStage<Optional<KeyInfo>> read(String hash) {
    reads.incrementAndGet();
    CompletableFuture<Optional<KeyInfo>> held = heldReads.remove(hash);
    return held != null ? held : CompletableFuture.completedFuture(Optional.ofNullable(rows.get(hash)));
  }

  private KeyInfo stored(String name) {
    String hash = ApiKeys.sha256Hex("tg_" + name + "_0123456789abcdefghij");
    KeyInfo key = new KeyInfo("key_" + name, "acme", name, hash, List.of(), false, T0, null);
    rows.put(hash, key);
    return key;
  }

  private static KeyLookup lookup(KeyCache cache, String hash) {
    return cache.lookup(hash).toCompletableFuture().join();
  }

  @Test
  void a_key_read_once_is_answered_from_memory_afterwards() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("a");

    KeyLookup first = lookup(cache, key.keyHash());
    KeyLookup second = lookup(cache, key.keyHash());

    assertThat(first.key()).isEqualTo(key);
    assertThat(second).isSameAs(first);
    assertThat(cache.cached(key.keyHash())).isSameAs(first);
    assertThat(reads).hasValue(1);
  }

  @Test
  void requests_presenting_the_same_unread_key_share_one_read() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("b");
    CompletableFuture<Optional<KeyInfo>> slow = new CompletableFuture<>();
    heldReads.put(key.keyHash(), slow);

    CompletionStage<KeyLookup> one = cache.lookup(key.keyHash());
    CompletionStage<KeyLookup> two = cache.lookup(key.keyHash());
    slow.complete(Optional.of(key));

    assertThat(one.toCompletableFuture().join().active()).isTrue();
    assertThat(two.toCompletableFuture().join().active()).isTrue();
    assertThat(reads).hasValue(1);
  }

  @Test
  void a_revocation_that_arrives_while_the_key_is_being_read_wins_over_the_stale_read() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("c");
    CompletableFuture<Optional<KeyInfo>> slow = new CompletableFuture<>();
    heldReads.put(key.keyHash(), slow);
    CompletionStage<KeyLookup> pending = cache.lookup(key.keyHash());

    cache.apply(KeyChange.of(key.revoke(T0), T0));
    slow.complete(Optional.of(key)); // read before the revocation was written

    assertThat(pending.toCompletableFuture().join()).isEqualTo(KeyLookup.REVOKED);
    assertThat(cache.cached(key.keyHash())).isEqualTo(KeyLookup.REVOKED);
  }

  @Test
  void a_revocation_replaces_a_cached_active_key() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("d");
    assertThat(lookup(cache, key.keyHash()).active()).isTrue();

    cache.apply(KeyChange.of(key.revoke(T0), T0));

    assertThat(cache.cached(key.keyHash())).isEqualTo(KeyLookup.REVOKED);
  }

  @Test
  void a_creation_replaces_a_cached_refusal_of_the_same_secret() {
    KeyCache cache = cache(100, 100, 10);
    String hash = ApiKeys.sha256Hex("tg_preset_0123456789abcdef");
    assertThat(lookup(cache, hash)).isEqualTo(KeyLookup.UNKNOWN);
    KeyInfo created = new KeyInfo("key_p", "acme", "p", hash, List.of(), false, T0, null);
    rows.put(hash, created);

    cache.apply(KeyChange.of(created, T0));

    assertThat(cache.cached(hash)).isNull();
    assertThat(lookup(cache, hash).key()).isEqualTo(created);
  }

  @Test
  void applying_the_same_changes_twice_or_out_of_order_ends_revoked() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("e");
    lookup(cache, key.keyHash());
    KeyChange created = KeyChange.of(key, T0);
    KeyChange revoked = KeyChange.of(key.revoke(T0.plusSeconds(1)), T0.plusSeconds(1));

    cache.apply(revoked);
    cache.apply(created);
    cache.apply(revoked);
    cache.apply(created);

    assertThat(cache.cached(key.keyHash())).isEqualTo(KeyLookup.REVOKED);
    assertThat(lookup(cache, key.keyHash())).isEqualTo(KeyLookup.REVOKED);
  }

  @Test
  void a_revoked_key_leaves_memory_after_the_refusal_ttl_and_stays_refused() {
    KeyCache cache = cache(100, 100, 10);
    KeyInfo key = stored("f");
    rows.put(key.keyHash(), key.revoke(T0));
    assertThat(lookup(cache, key.keyHash())).isEqualTo(KeyLookup.REVOKED);

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(cache.cached(key.keyHash())).isNull();
    assertThat(lookup(cache, key.keyHash())).isEqualTo(KeyLookup.REVOKED);
  }

  @Test
  void made_up_keys_never_push_real_keys_out_of_memory() {
    KeyCache cache = cache(50, 20, 10);
    List<KeyInfo> real = java.util.stream.IntStream.range(0, 30).mapToObj(i -> stored("real" + i)).toList();
    real.forEach(k -> lookup(cache, k.keyHash()));

    for (int i = 0; i < 5_000; i++) {
      assertThat(lookup(cache, ApiKeys.sha256Hex("tg_made_up_" + i + "_0123456789"))).isEqualTo(KeyLookup.UNKNOWN);
    }

    assertThat(real).allSatisfy(k -> assertThat(cache.cached(k.keyHash())).isNotNull());
  }

  @Test
  void memory_holds_at_most_the_configured_number_of_keys() {
    KeyCache cache = cache(100, 100, 10);

    for (int i = 0; i < 1_000; i++) {
      lookup(cache, stored("many" + i).keyHash());
    }

    assertThat(cache.activeKeys()).isLessThanOrEqualTo(100);
  }

  @Test
  void too_many_reads_at_once_are_refused_as_busy_instead_of_queued() {
    KeyCache cache = cache(100, 100, 2);
    for (String name : List.of("g", "h", "i")) {
      heldReads.put(stored(name).keyHash(), new CompletableFuture<>());
    }
    cache.lookup(ApiKeys.sha256Hex("tg_g_0123456789abcdefghij"));
    cache.lookup(ApiKeys.sha256Hex("tg_h_0123456789abcdefghij"));

    CompletionStage<KeyLookup> third = cache.lookup(ApiKeys.sha256Hex("tg_i_0123456789abcdefghij"));

    assertThat(third.toCompletableFuture()).failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(KeyDirectoryBusy.class);
  }
}
