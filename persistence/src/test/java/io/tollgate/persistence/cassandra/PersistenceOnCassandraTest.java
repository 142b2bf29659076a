package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.CborSerializable;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events go through pekko-persistence-cassandra into the test Cassandra and come back on recovery. */
class PersistenceOnCassandraTest {

  // The first write creates keyspaces and tables: allow for slow schema changes on 2 cores.
  private static final Duration FIRST_WRITE = Duration.ofSeconds(90);
  private static final Duration REPLY = Duration.ofSeconds(30);

  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("PersistenceOnCassandraTest", TestCassandra.config(""));
  }

  @AfterAll
  static void stopSystem() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void a_recovered_entity_has_the_state_its_persisted_events_built() {
    String id = "counter-" + UUID.randomUUID();
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();
    ActorRef<Counter.Command> counter = testKit.spawn(Counter.create(id));

    counter.tell(new Counter.Add(2, replies.ref()));
    assertThat(replies.receiveMessage(FIRST_WRITE).getValue()).isEqualTo(2);
    counter.tell(new Counter.Add(3, replies.ref()));
    assertThat(replies.receiveMessage(REPLY).getValue()).isEqualTo(5);
    counter.tell(new Counter.Add(4, replies.ref()));
    assertThat(replies.receiveMessage(REPLY).getValue()).isEqualTo(9);
    testKit.stop(counter, REPLY);

    ActorRef<Counter.Command> recovered = testKit.spawn(Counter.create(id));
    recovered.tell(new Counter.Add(1, replies.ref()));

    assertThat(replies.receiveMessage(REPLY).getValue()).isEqualTo(10);
  }

  @Test
  void an_entity_with_a_new_id_starts_from_zero() {
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();
    ActorRef<Counter.Command> counter = testKit.spawn(Counter.create("counter-" + UUID.randomUUID()));

    counter.tell(new Counter.Add(7, replies.ref()));

    assertThat(replies.receiveMessage(FIRST_WRITE).getValue()).isEqualTo(7);
  }

  /** A counter whose every addition is an event in the Cassandra journal. */
  static final class Counter
      extends EventSourcedBehaviorWithEnforcedReplies<Counter.Command, Counter.Event, Counter.State> {

    sealed interface Command {}

    /** Adds {@code amount}; answers the new total once the event is persisted. */
    record Add(int amount, ActorRef<StatusReply<Integer>> replyTo) implements Command {}

    sealed interface Event extends CborSerializable {}

    record Added(int amount) implements Event {}

    record State(int total) {
      State plus(int amount) {
        return new State(total + amount);
      }
    }

    static Behavior<Command> create(String id) {
      return new Counter(PersistenceId.of("TestCounter", id));
    }

    private Counter(PersistenceId persistenceId) {
      super(persistenceId);
    }

    @Override
    public State emptyState() {
      return new State(0);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
      return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Add.class, this::onAdd).build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onEvent(Added.class, (s, e) -> s.plus(e.amount())).build();
    }

    private ReplyEffect<Event, State> onAdd(State state, Add cmd) {
      return Effect().persist(new Added(cmd.amount())).thenReply(cmd.replyTo(), s -> StatusReply.success(s.total()));
    }
  }
}
