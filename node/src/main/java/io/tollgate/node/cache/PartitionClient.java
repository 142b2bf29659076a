package io.tollgate.node.cache;

import io.tollgate.persistence.cache.CachePartition;
import io.tollgate.persistence.cache.CacheSettings;
import io.tollgate.persistence.cache.CachedAnswer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The node's side of the {@link CachePartition} entities: every ask has its timeout, and a partition
 * that does not answer in time reads as {@link CachePartition.Unavailable} (a lookup) or
 * {@link CachePartition.GoAhead} (a follower's wait), so the cache never fails a call.
 */
public final class PartitionClient {
  private final ActorSystem<?> system;
  private final CacheSettings settings;

  public PartitionClient(ActorSystem<?> system, CacheSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  public CacheSettings settings() {
    return settings;
  }

  public CompletionStage<CachePartition.Reply> lookup(CacheKey key, long maxAgeMillis) {
    return ask(key, r -> new CachePartition.Lookup(key.hash(), maxAgeMillis, r), settings.lookupTimeout(),
        CachePartition.Unavailable.INSTANCE);
  }

  public CompletionStage<CachePartition.Reply> await(CacheKey key) {
    return ask(key, r -> new CachePartition.Await(key.hash(), r), settings.followerWait(),
        CachePartition.GoAhead.INSTANCE);
  }

  /** Stores an answer; {@code leadId} null for a refresh (no followers to answer). */
  public void complete(CacheKey key, String leadId, CachedAnswer answer) {
    ref(key).tell(new CachePartition.Complete(key.hash(), leadId, answer));
  }

  public void abandon(CacheKey key, String leadId) {
    ref(key).tell(new CachePartition.Abandon(key.hash(), leadId));
  }

  private CompletionStage<CachePartition.Reply> ask(
      CacheKey key, java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<CachePartition.Reply>,
          CachePartition.Command> message, Duration timeout, CachePartition.Reply onTimeout) {
    return ref(key).<CachePartition.Reply>ask(message::apply, timeout).exceptionally(failure -> onTimeout);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<CachePartition.Command> ref(CacheKey key) {
    return CachePartition.ref(system, key.tenantId(), key.partition());
  }
}
