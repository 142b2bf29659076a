package io.tollgate.persistence.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.circuit.ProviderCircuit.ForceClose;
import io.tollgate.persistence.circuit.ProviderCircuit.ForceOpen;
import io.tollgate.persistence.circuit.ProviderCircuit.Get;
import io.tollgate.persistence.circuit.ProviderCircuit.Report;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The circuit entity on a real Cassandra, with a clock the test moves. */
class ProviderCircuitTest {
  // The first write may wait for Cassandra schema changes, slow on 2 cores.
  private static final Duration FIRST_WRITE = Duration.ofSeconds(90);
  private static final String REGION = "eu-west";
  private static final Instant START = Instant.parse("2030-06-01T12:00:00Z");
  /** Window 10 s, min 10 calls, 50 % errors, 5 in a row, SLO 1 s at 50 %, open 5 s doubling to 60 s, 2 probes. */
  static final CircuitSettings SETTINGS = new CircuitSettings(
      Duration.ofSeconds(10), 10, 0.5, 5, Duration.ofSeconds(1), 0.5,
      Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5),
      2, 1, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1));

  private static ActorTestKit testKit;

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("ProviderCircuitTest", TestCassandra.config(""));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30),
        () -> assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up()));
    PersistenceSchema.ensure(testKit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopNode() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  /** A fresh circuit entity in {@code region}, on its own clock. */
  private record Circuit(CircuitKey key, TestClock clock, ActorRef<ProviderCircuit.Command> ref) {
    Instant now() {
      return clock.instant();
    }
  }

  private static Circuit circuit(String region) {
    CircuitKey key = new CircuitKey(region, "openai/gpt-" + UUID.randomUUID());
    TestClock clock = new TestClock(START);
    return new Circuit(key, clock, testKit.spawn(ProviderCircuit.create(key.entityId(), SETTINGS, clock)));
  }

  private static Circuit circuit() {
    return circuit(REGION);
  }

  private static CircuitState report(Circuit c, long successes, long failures, long trailing) {
    return report(c, new OutcomeBatch(c.key().deploymentId(), successes, failures, 0, 0, 0, trailing, c.now(), c.now(), "n1"));
  }

  private static CircuitState report(Circuit c, OutcomeBatch batch) {
    TestProbe<CircuitState> reply = testKit.createTestProbe();
    c.ref().tell(new Report(batch, reply.ref()));
    return reply.receiveMessage(FIRST_WRITE);
  }

  private static CircuitState rateLimited(Circuit c, long retryAfterMillis) {
    return report(c, new OutcomeBatch(c.key().deploymentId(), 0, 0, 1, retryAfterMillis, 0, 0, c.now(), c.now(), "n1"));
  }

  private static CircuitState get(Circuit c) {
    TestProbe<CircuitState> reply = testKit.createTestProbe();
    c.ref().tell(new Get(reply.ref()));
    return reply.receiveMessage(FIRST_WRITE);
  }

  private static CircuitState forceOpen(Circuit c, Duration d, String reason) {
    TestProbe<CircuitState> reply = testKit.createTestProbe();
    c.ref().tell(new ForceOpen(d, reason, reply.ref()));
    return reply.receiveMessage(FIRST_WRITE);
  }

  private static CircuitState forceClose(Circuit c) {
    TestProbe<CircuitState> reply = testKit.createTestProbe();
    c.ref().tell(new ForceClose(reply.ref()));
    return reply.receiveMessage(FIRST_WRITE);
  }

  /** Trips the circuit with five failures in a row. */
  private static CircuitState trip(Circuit c) {
    CircuitState opened = report(c, 0, 5, 5);
    assertThat(opened.phase()).isEqualTo(CircuitPhase.OPEN);
    return opened;
  }

  @Test
  void stays_closed_below_the_minimum_calls_and_opens_when_half_the_window_fails() {
    Circuit c = circuit();

    CircuitState fewCalls = report(c, 3, 6, 1);
    c.clock().advance(Duration.ofSeconds(1));
    CircuitState tripped = report(c, 1, 0, 0);

    assertThat(fewCalls.phase()).as("9 calls are below min-calls").isEqualTo(CircuitPhase.CLOSED);
    assertThat(tripped.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(tripped.reason()).isEqualTo(CircuitReason.ERROR_RATIO);
    assertThat(tripped.openUntil()).isEqualTo(c.now().plusSeconds(5));
    assertThat(tripped.opens()).isEqualTo(1);
    assertThat(tripped.deploymentId()).isEqualTo(c.key().deploymentId());
    assertThat(tripped.region()).isEqualTo(REGION);
  }

  @Test
  void stays_closed_while_failures_stay_below_the_ratio() {
    Circuit c = circuit();

    CircuitState state = report(c, 8, 7, 1);

    assertThat(state.phase()).isEqualTo(CircuitPhase.CLOSED);
    assertThat(state.version()).isZero();
  }

  @Test
  void failures_older_than_the_window_do_not_count() {
    Circuit c = circuit();

    report(c, 4, 4, 0);
    c.clock().advance(Duration.ofSeconds(11));
    CircuitState afterWindow = report(c, 1, 1, 0);

    assertThat(afterWindow.phase()).as("10 calls with 5 failures, but 8 of them left the window")
        .isEqualTo(CircuitPhase.CLOSED);
  }

  @Test
  void opens_after_five_failures_in_a_row_reported_by_two_nodes() {
    Circuit c = circuit();

    CircuitState first = report(c, 3, 2, 2);
    CircuitState second = report(c, 0, 3, 3);

    assertThat(first.phase()).isEqualTo(CircuitPhase.CLOSED);
    assertThat(second.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(second.reason()).isEqualTo(CircuitReason.CONSECUTIVE_FAILURES);
  }

  @Test
  void a_success_in_between_resets_the_failures_in_a_row() {
    Circuit c = circuit();

    report(c, 0, 4, 4);
    report(c, 1, 0, 0);
    CircuitState state = report(c, 0, 4, 4);

    assertThat(state.phase()).isEqualTo(CircuitPhase.CLOSED);
  }

  @Test
  void opens_when_half_the_calls_are_slower_than_the_latency_slo() {
    Circuit c = circuit();

    CircuitState state = report(c,
        new OutcomeBatch(c.key().deploymentId(), 10, 0, 0, 0, 5, 0, c.now(), c.now(), "n1"));

    assertThat(state.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(state.reason()).isEqualTo(CircuitReason.LATENCY_SLO);
  }

  @Test
  void a_429_with_retry_after_opens_for_exactly_that_long() {
    Circuit c = circuit();
    Instant at = c.now();

    CircuitState state = rateLimited(c, 2_000);

    assertThat(state.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(state.reason()).isEqualTo(CircuitReason.RATE_LIMITED);
    assertThat(state.openUntil()).isEqualTo(at.plusSeconds(2));
    assertThat(state.phaseAt(at.plusMillis(1_999))).isEqualTo(CircuitPhase.OPEN);
    assertThat(state.phaseAt(at.plusSeconds(2))).isEqualTo(CircuitPhase.HALF_OPEN);
  }

  @Test
  void a_429_without_retry_after_opens_for_the_default_cool_down() {
    Circuit c = circuit();

    CircuitState state = rateLimited(c, 0);

    assertThat(state.openUntil()).isEqualTo(c.now().plus(SETTINGS.rateLimitedOpenFor()));
  }

  @Test
  void a_later_429_asking_for_a_longer_wait_extends_the_cool_down() {
    Circuit c = circuit();
    CircuitState first = rateLimited(c, 2_000);

    CircuitState shorter = rateLimited(c, 1_000);
    CircuitState longer = rateLimited(c, 10_000);

    assertThat(shorter).isEqualTo(first);
    assertThat(longer.openUntil()).isEqualTo(c.now().plusSeconds(10));
    assertThat(longer.version()).isGreaterThan(first.version());
  }

  @Test
  void is_half_open_after_the_cool_down_and_two_successful_probes_close_it() {
    Circuit c = circuit();
    CircuitState opened = trip(c);
    c.clock().advance(Duration.ofSeconds(5));

    CircuitState halfOpen = get(c);
    CircuitState oneProbe = report(c, 1, 0, 0);
    CircuitState closed = report(c, 1, 0, 0);

    assertThat(halfOpen.phaseAt(c.now())).isEqualTo(CircuitPhase.HALF_OPEN);
    assertThat(oneProbe.phaseAt(c.now())).isEqualTo(CircuitPhase.HALF_OPEN);
    assertThat(closed.phase()).isEqualTo(CircuitPhase.CLOSED);
    assertThat(closed.reason()).isEqualTo(CircuitReason.PROBES_SUCCEEDED);
    assertThat(closed.openUntil()).isNull();
    assertThat(closed.version()).isEqualTo(opened.version() + 1);
  }

  @Test
  void a_failed_probe_reopens_with_a_doubled_cool_down() {
    Circuit c = circuit();
    trip(c);
    c.clock().advance(Duration.ofSeconds(5));

    CircuitState reopened = report(c, 0, 1, 1);
    c.clock().advance(Duration.ofSeconds(10));
    CircuitState again = report(c, 1, 1, 1);

    assertThat(reopened.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(reopened.reason()).isEqualTo(CircuitReason.PROBE_FAILED);
    assertThat(reopened.opens()).isEqualTo(2);
    assertThat(Duration.between(reopened.changedAt(), reopened.openUntil())).isEqualTo(Duration.ofSeconds(10));
    assertThat(again.opens()).isEqualTo(3);
    assertThat(Duration.between(again.changedAt(), again.openUntil())).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void outcomes_recorded_before_the_cool_down_ended_are_not_probes() {
    Circuit c = circuit();
    CircuitState opened = trip(c);
    Instant duringCoolDown = c.now().plusSeconds(1);
    c.clock().advance(Duration.ofSeconds(6));

    CircuitState state = report(c, new OutcomeBatch(
        c.key().deploymentId(), 0, 3, 0, 0, 0, 3, duringCoolDown, duringCoolDown, "n1"));

    assertThat(state.version()).isEqualTo(opened.version());
    assertThat(state.phaseAt(c.now())).isEqualTo(CircuitPhase.HALF_OPEN);
  }

  @Test
  void an_admin_opens_it_for_a_given_time_and_closes_it_again() {
    Circuit c = circuit();

    CircuitState opened = forceOpen(c, Duration.ofSeconds(30), "provider maintenance");
    CircuitState closed = forceClose(c);
    CircuitState closedAgain = forceClose(c);

    assertThat(opened.phase()).isEqualTo(CircuitPhase.OPEN);
    assertThat(opened.openUntil()).isEqualTo(c.now().plusSeconds(30));
    assertThat(opened.reason()).isEqualTo("forced: provider maintenance");
    assertThat(closed.phase()).isEqualTo(CircuitPhase.CLOSED);
    assertThat(closed.reason()).isEqualTo(CircuitReason.FORCED);
    assertThat(closedAgain).isEqualTo(closed);
  }

  @Test
  void a_restarted_entity_recovers_its_open_circuit_from_cassandra() {
    Circuit c = circuit();
    trip(c);
    c.clock().advance(Duration.ofSeconds(5));
    CircuitState before = report(c, 0, 1, 1);
    testKit.stop(c.ref(), Duration.ofSeconds(30));

    Circuit restarted = new Circuit(c.key(), c.clock(),
        testKit.spawn(ProviderCircuit.create(c.key().entityId(), SETTINGS, c.clock())));
    CircuitState after = get(restarted);
    c.clock().advance(Duration.ofSeconds(10));
    CircuitState reopened = report(restarted, 0, 1, 1);

    assertThat(after).isEqualTo(before);
    assertThat(reopened.opens()).as("the openings in a row were recovered").isEqualTo(3);
    assertThat(Duration.between(reopened.changedAt(), reopened.openUntil())).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void a_new_node_on_the_same_cassandra_recovers_the_circuit_through_sharding() throws Exception {
    String deployment = "anthropic/claude-" + UUID.randomUUID();
    ProviderCircuit.init(testKit.system());
    CircuitState opened = ProviderCircuit.ref(testKit.system(), REGION, deployment)
        .<CircuitState>ask(r -> new ForceOpen(Duration.ofMinutes(10), "drill", r), FIRST_WRITE)
        .toCompletableFuture().get(FIRST_WRITE.toSeconds(), TimeUnit.SECONDS);

    ActorTestKit other = ActorTestKit.create("ProviderCircuitTestOther", TestCassandra.config(""));
    try {
      Cluster cluster = Cluster.get(other.system());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      ProviderCircuit.init(other.system());
      CircuitState recovered = ProviderCircuit.ref(other.system(), REGION, deployment)
          .<CircuitState>ask(Get::new, FIRST_WRITE)
          .toCompletableFuture().get(FIRST_WRITE.toSeconds(), TimeUnit.SECONDS);

      assertThat(recovered).isEqualTo(opened);
      assertThat(recovered.phaseAt(Instant.now())).isEqualTo(CircuitPhase.OPEN);
    } finally {
      other.shutdownTestKit();
    }
  }

  @Test
  void every_transition_is_published_on_the_region_topic() {
    String region = "pub-" + UUID.randomUUID().toString().substring(0, 8);
    TestProbe<CircuitState> subscriber = testKit.createTestProbe();
    CircuitTopic.get(testKit.system(), region).tell(Topic.subscribe(subscriber.ref()));
    Circuit c = circuit(region);

    CircuitState opened = trip(c);
    CircuitState published = subscriber.receiveMessage(FIRST_WRITE);
    c.clock().advance(Duration.ofSeconds(1));
    report(c, 0, 1, 1);
    CircuitState republished = subscriber.receiveMessage();
    CircuitState closed = forceClose(c);
    CircuitState publishedClose = subscriber.receiveMessage();

    assertThat(published).isEqualTo(opened);
    assertThat(republished).as("while open, re-published when reports arrive").isEqualTo(opened);
    assertThat(publishedClose).isEqualTo(closed);
  }
}
