package io.tollgate.persistence.testing;

import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;

/**
 * What the tests of the Cassandra-backed stores (audit, tenant admin) share: a test kit on the test
 * Cassandra with the stores' tables in keyspace {@code tollgate_test}, fresh tenant ids, and a
 * bounded wait on a store's answer.
 */
public final class StoreTestKit {
  private StoreTestKit() {}

  /** For a {@code @JUnit5TestKit} field. */
  public static ActorTestKit onTestCassandra(String name) {
    return new JUnit5TestKitBuilder()
        .withName(name)
        .withCustomConfig(TestCassandra.config("tollgate.cassandra.keyspace = tollgate_test"))
        .build();
  }

  /** A tenant id no other test uses. */
  public static String freshTenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The stage's value; fails after 120 s (the first store to start creates the tables). */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
