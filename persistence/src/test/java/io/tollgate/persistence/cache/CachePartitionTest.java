package io.tollgate.persistence.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The partition entity's single-flight and hot set, against an in-memory store (no Cassandra). */
class CachePartitionTest {
  private static final ActorTestKit kit = ActorTestKit.create("CachePartitionTest");
  private static final CacheSettings SETTINGS = new CacheSettings(2, 2, 1 << 20, 1 << 16,
      Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(3));

  /** Rows by key hash, expiring like Cassandra's; {@code down} makes every read and write fail, {@code slow} reads hang. */
  static final class MemoryStore extends CacheStore {
    final Map<String, CachedAnswer> rows = new ConcurrentHashMap<>();
    volatile boolean down;
    volatile boolean slow;

    MemoryStore() {
      super(null);
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> read(String tenantId, String partition, String keyHash) {
      if (slow) {
        return new CompletableFuture<>();
      }
      return down ? CompletableFuture.failedFuture(new IllegalStateException("down"))
          : CompletableFuture.completedFuture(Optional.ofNullable(rows.get(tenantId + "/" + keyHash))
              .filter(a -> a.expiresAtMillis() > System.currentTimeMillis()));
    }

    @Override
    public CompletionStage<Done> write(String tenantId, String partition, String keyHash, CachedAnswer a) {
      if (down) {
        return CompletableFuture.failedFuture(new IllegalStateException("down"));
      }
      rows.put(tenantId + "/" + keyHash, a);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final MemoryStore store = new MemoryStore();
  private final ActorRef<CachePartition.Command> partition =
      kit.spawn(CachePartition.create(CachePartition.entityId("acme", "ab"), store, SETTINGS));

  private CachePartition.Reply lookup(String key) {
    TestProbe<CachePartition.Reply> probe = kit.createTestProbe();
    partition.tell(new CachePartition.Lookup(key, Long.MAX_VALUE, probe.ref()));
    return probe.receiveMessage();
  }

  private static CachedAnswer answer(String text) {
    long now = System.currentTimeMillis();
    return new CachedAnswer(text.getBytes(StandardCharsets.UTF_8), now, now + 60_000, 42);
  }

  @Test
  void the_first_caller_leads_identical_callers_follow_and_get_the_leaders_answer() {
    CachePartition.Reply first = lookup("k1");
    assertThat(first).isInstanceOf(CachePartition.Lead.class);
    assertThat(lookup("k1")).isEqualTo(CachePartition.Follow.INSTANCE);
    TestProbe<CachePartition.Reply> follower = kit.createTestProbe();
    partition.tell(new CachePartition.Await("k1", follower.ref()));
    follower.expectNoMessage(Duration.ofMillis(100));

    partition.tell(new CachePartition.Complete("k1", ((CachePartition.Lead) first).leadId(), answer("hello")));

    CachePartition.Hit hit = follower.expectMessageClass(CachePartition.Hit.class);
    assertThat(new String(hit.answer().answer(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(lookup("k1")).isInstanceOf(CachePartition.Hit.class);
    assertThat(store.rows).containsKey("acme/k1");
  }

  @Test
  void a_leader_that_abandons_releases_its_followers_at_once_and_stores_nothing() {
    CachePartition.Lead lead = (CachePartition.Lead) lookup("k2");
    lookup("k2");
    TestProbe<CachePartition.Reply> follower = kit.createTestProbe();
    partition.tell(new CachePartition.Await("k2", follower.ref()));

    partition.tell(new CachePartition.Abandon("k2", lead.leadId()));

    follower.expectMessage(CachePartition.GoAhead.INSTANCE);
    assertThat(lookup("k2")).as("the next caller leads again").isInstanceOf(CachePartition.Lead.class);
  }

  @Test
  void a_leader_that_never_finishes_releases_its_followers_after_the_lead_timeout() {
    lookup("k3");
    TestProbe<CachePartition.Reply> follower = kit.createTestProbe();
    partition.tell(new CachePartition.Await("k3", follower.ref()));

    follower.expectMessage(Duration.ofSeconds(5), CachePartition.GoAhead.INSTANCE);
  }

  @Test
  void an_answer_past_its_ttl_is_not_served_from_memory() {
    CachePartition.Lead lead = (CachePartition.Lead) lookup("k8");
    long now = System.currentTimeMillis();
    partition.tell(new CachePartition.Complete("k8", lead.leadId(), new CachedAnswer(new byte[] {1}, now - 2_000, now - 1, 0)));

    assertThat(lookup("k8")).isInstanceOf(CachePartition.Lead.class);
  }

  @Test
  void a_stored_answer_is_read_from_the_store_when_not_in_memory() {
    store.rows.put("acme/k4", answer("stored"));

    assertThat(lookup("k4")).isInstanceOf(CachePartition.Hit.class);
  }

  @Test
  void an_answer_older_than_max_age_is_not_served() {
    long now = System.currentTimeMillis();
    store.rows.put("acme/k5", new CachedAnswer(new byte[] {1}, now - 60_000, now + 60_000, 0));
    TestProbe<CachePartition.Reply> probe = kit.createTestProbe();

    partition.tell(new CachePartition.Lookup("k5", 10_000, probe.ref()));

    probe.expectMessageClass(CachePartition.Lead.class);
  }

  @Test
  void a_store_that_fails_or_hangs_answers_unavailable_and_releases_waiters() {
    store.down = true;
    assertThat(lookup("k6")).isEqualTo(CachePartition.Unavailable.INSTANCE);
    store.down = false;
    store.slow = true;
    TestProbe<CachePartition.Reply> reader = kit.createTestProbe();
    TestProbe<CachePartition.Reply> follower = kit.createTestProbe();
    partition.tell(new CachePartition.Lookup("k7", Long.MAX_VALUE, reader.ref()));
    partition.tell(new CachePartition.Lookup("k7", Long.MAX_VALUE, follower.ref()));
    follower.expectMessage(CachePartition.Follow.INSTANCE);
    partition.tell(new CachePartition.Await("k7", follower.ref()));

    reader.expectMessage(Duration.ofSeconds(3), CachePartition.Unavailable.INSTANCE);
    follower.expectMessage(Duration.ofSeconds(3), CachePartition.GoAhead.INSTANCE);
    store.slow = false;
  }

  @Test
  void the_hot_set_keeps_at_most_its_bound_and_reads_the_rest_from_the_store() {
    for (String k : new String[] {"h1", "h2", "h3"}) {
      CachePartition.Lead lead = (CachePartition.Lead) lookup(k);
      partition.tell(new CachePartition.Complete(k, lead.leadId(), answer(k)));
    }
    store.down = true;
    try {
      assertThat(lookup("h3")).as("kept in memory").isInstanceOf(CachePartition.Hit.class);
      assertThat(lookup("h1")).as("evicted: needs the store").isEqualTo(CachePartition.Unavailable.INSTANCE);
    } finally {
      store.down = false;
    }
  }
}
