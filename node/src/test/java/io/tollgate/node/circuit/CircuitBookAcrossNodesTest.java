package io.tollgate.node.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.persistence.circuit.CircuitState;
import io.tollgate.persistence.circuit.CircuitTopic;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two nodes of one region in one JVM, each with its circuit book, on the test Cassandra. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitBookAcrossNodesTest {
  private static final String REGION = "eu-west";
  // The first write may wait for Cassandra schema changes, slow on 2 cores.
  private static final Duration FIRST_WRITE = Duration.ofSeconds(60);
  private static final String CONFIG = """
      pekko.cluster.multi-data-center.self-data-center = "eu-west"
      tollgate.circuits {
        report-interval = 100ms
        consecutive-failures = 5
        open-for = 10s
        probes-to-close = 2
        half-open-probes-per-node = 1
        ask-timeout = 10s
      }
      """;

  private ActorTestKit first;
  private ActorTestKit second;
  private CircuitBook one;
  private CircuitBook two;

  @BeforeAll
  void startTwoNodes() throws Exception {
    first = ActorTestKit.create("CircuitBookAcrossNodesTest", TestCassandra.config(CONFIG));
    second = ActorTestKit.create("CircuitBookAcrossNodesTest", TestCassandra.config(CONFIG));
    Cluster.get(first.system()).manager().tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    Cluster.get(second.system()).manager().tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Cluster.get(first.system()).state().getMembers())
            .hasSize(2)
            .allSatisfy(m -> assertThat(m.status()).isEqualTo(MemberStatus.up())));
    PersistenceSchema.ensure(first.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    one = CircuitBook.start(first.system(), REGION, GatewayMetrics.create(ConfigFactory.empty(), REGION));
    two = CircuitBook.start(second.system(), REGION, GatewayMetrics.create(ConfigFactory.empty(), REGION));
    // Pushes only flow once each node's region topic found the other's (receptionist gossip).
    awaitTopicDiscovery(first);
    awaitTopicDiscovery(second);
  }

  @AfterAll
  void stopNodes() {
    if (second != null) {
      second.shutdownTestKit();
    }
    if (first != null) {
      first.shutdownTestKit();
    }
  }

  private static String freshDeployment() {
    return "openai/gpt-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Opens the circuit through the admin path and waits until both nodes see it half-open. */
  private void halfOpenOnBothNodes(String deployment, Duration openFor) throws Exception {
    one.forceOpen(deployment, openFor, "test").toCompletableFuture().get(FIRST_WRITE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> one.phase(deployment) == CircuitPhase.HALF_OPEN && two.phase(deployment) == CircuitPhase.HALF_OPEN);
  }

  @Test
  void repeated_failures_on_one_node_stop_traffic_from_the_other_within_a_second() {
    String deployment = freshDeployment();
    assertThat(two.tryAcquire(deployment)).isTrue();
    two.record(deployment, CallResult.success(120));

    for (int i = 0; i < 5; i++) {
      assertThat(one.tryAcquire(deployment)).isTrue();
      one.record(deployment, CallResult.failure(50));
    }
    await().atMost(FIRST_WRITE).until(() -> one.phase(deployment) == CircuitPhase.OPEN);

    await().atMost(Duration.ofSeconds(1)).until(() -> !two.tryAcquire(deployment));
    assertThat(two.openUntil(deployment)).isPresent();
    assertThat(two.states()).anySatisfy(s -> {
      assertThat(s.deploymentId()).isEqualTo(deployment);
      assertThat(s.reason()).isEqualTo("consecutive_failures");
    });
  }

  @Test
  void a_429_with_retry_after_stops_traffic_at_once_and_admits_a_probe_when_it_has_passed() {
    String deployment = freshDeployment();
    assertThat(one.tryAcquire(deployment)).isTrue();

    one.record(deployment, CallResult.rateLimited(30, Duration.ofSeconds(2)));

    assertThat(one.tryAcquire(deployment)).isFalse();
    await().atMost(FIRST_WRITE).until(() -> two.states().stream()
        .anyMatch(s -> s.deploymentId().equals(deployment) && s.reason().equals("rate_limited")));
    await().atMost(Duration.ofSeconds(10)).until(() -> one.phase(deployment) == CircuitPhase.HALF_OPEN);
    assertThat(one.tryAcquire(deployment)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> two.phase(deployment) == CircuitPhase.HALF_OPEN);
  }

  @Test
  void successful_probes_close_the_circuit_on_both_nodes() throws Exception {
    String deployment = freshDeployment();
    halfOpenOnBothNodes(deployment, Duration.ofMillis(500));

    assertThat(one.tryAcquire(deployment)).isTrue();
    one.record(deployment, CallResult.success(80));
    assertThat(one.tryAcquire(deployment)).isTrue();
    one.record(deployment, CallResult.success(90));

    await().atMost(Duration.ofSeconds(10)).until(
        () -> one.phase(deployment) == CircuitPhase.CLOSED && two.phase(deployment) == CircuitPhase.CLOSED);
    assertThat(two.states()).anySatisfy(s -> {
      assertThat(s.deploymentId()).isEqualTo(deployment);
      assertThat(s.reason()).isEqualTo("probes_succeeded");
    });
  }

  @Test
  void a_node_lets_one_probe_run_at_a_time_while_half_open() throws Exception {
    String deployment = freshDeployment();
    halfOpenOnBothNodes(deployment, Duration.ofMillis(500));

    boolean firstProbe = two.tryAcquire(deployment);
    boolean secondWhileFirstRuns = two.tryAcquire(deployment);
    boolean onTheOtherNode = one.tryAcquire(deployment);
    two.record(deployment, CallResult.neutral(10));
    boolean afterTheFirstEnded = two.tryAcquire(deployment);

    assertThat(firstProbe).isTrue();
    assertThat(secondWhileFirstRuns).isFalse();
    assertThat(onTheOtherNode).as("the limit is per node").isTrue();
    assertThat(afterTheFirstEnded).isTrue();
  }

  @Test
  void a_failed_probe_reopens_the_circuit_here_at_once_and_on_the_other_node_soon() throws Exception {
    String deployment = freshDeployment();
    halfOpenOnBothNodes(deployment, Duration.ofMillis(500));

    assertThat(one.tryAcquire(deployment)).isTrue();
    one.record(deployment, CallResult.failure(40));

    assertThat(one.phase(deployment)).isEqualTo(CircuitPhase.OPEN);
    await().atMost(Duration.ofSeconds(10)).until(() -> two.phase(deployment) == CircuitPhase.OPEN);
    assertThat(two.states()).anySatisfy(s -> {
      assertThat(s.deploymentId()).isEqualTo(deployment);
      assertThat(s.reason()).isEqualTo("probe_failed");
      assertThat(s.opens()).isEqualTo(2);
    });
  }

  @Test
  void an_admin_opens_a_circuit_on_every_node_and_closes_it_again() throws Exception {
    String deployment = freshDeployment();

    CircuitState opened = one.forceOpen(deployment, Duration.ofMinutes(10), "provider maintenance")
        .toCompletableFuture().get(FIRST_WRITE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> two.phase(deployment) == CircuitPhase.OPEN);
    CircuitState closed = two.forceClose(deployment).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(opened.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(opened.reason()).isEqualTo("forced: provider maintenance");
    assertThat(closed.phase()).isEqualTo(CircuitPhase.CLOSED);
    assertThat(two.phase(deployment)).isEqualTo(CircuitPhase.CLOSED);
    await().atMost(Duration.ofSeconds(10)).until(() -> one.phase(deployment) == CircuitPhase.CLOSED);
  }

  /** Waits until this node's region topic has discovered the other node's. */
  private static void awaitTopicDiscovery(ActorTestKit node) {
    TestProbe<Topic.TopicStats> stats = node.createTestProbe();
    stats.awaitAssert(Duration.ofSeconds(30), () -> {
      CircuitTopic.get(node.system(), REGION).tell(Topic.getTopicStats(stats.getRef()));
      assertThat(stats.receiveMessage().topicInstanceCount()).isGreaterThanOrEqualTo(1);
      return null;
    });
  }
}
