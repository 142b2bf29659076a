package io.tollgate.persistence.circuit;

import io.tollgate.persistence.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One region's circuit of one provider deployment (entity id: {@link CircuitKey#entityId()}).
 *
 * <p>Nodes report outcomes in batches ({@link Report}); a closed circuit trips on the rules of
 * {@link CircuitSettings} ({@link TripRules}) and stays open for a cool-down: a 429's
 * {@code retry-after}, otherwise {@code open-for} doubled on every re-open from half-open. Once the
 * cool-down has passed the circuit is half-open (derived from time, nothing is persisted): the
 * first probe failure re-opens it, {@code probes-to-close} successes without one close it.
 *
 * <p>Only transitions are persisted ({@link Opened}, {@link Closed}); the window counters, the
 * failures in a row and the probe successes live in memory and start over after a restart. Every
 * transition is published on the region's {@link CircuitTopic}, and while the circuit is open or
 * half-open the state is re-published at most every {@code republish-interval} when reports arrive.
 */
public final class ProviderCircuit
    extends EventSourcedBehaviorWithEnforcedReplies<ProviderCircuit.Command, ProviderCircuit.Event, ProviderCircuit.State> {

  /** Frozen: the name is part of every persisted id. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ProviderCircuit");

  private static final int SNAPSHOT_EVERY = 100;

  // ---- commands ----

  /** Messages the entity accepts; every one is answered with the state after it. */
  public sealed interface Command extends CborSerializable permits Report, Get, ForceOpen, ForceClose {}

  /** One node's outcomes since its previous report. */
  public record Report(OutcomeBatch batch, ActorRef<CircuitState> replyTo) implements Command {}

  /** The current state. */
  public record Get(ActorRef<CircuitState> replyTo) implements Command {}

  /** Admin: open now for exactly {@code duration} (a non-positive or missing duration changes nothing). */
  public record ForceOpen(Duration duration, String reason, ActorRef<CircuitState> replyTo) implements Command {}

  /** Admin: close now. */
  public record ForceClose(ActorRef<CircuitState> replyTo) implements Command {}

  // ---- events (a frozen schema: see the golden-bytes test) ----

  /** What the journal holds. */
  public sealed interface Event extends CborSerializable permits Opened, Closed {}

  /**
   * The circuit opened (or its cool-down was extended) at {@code at} until {@code openUntil};
   * {@code calls} and {@code failures} are what the window held.
   */
  public record Opened(Instant at, Instant openUntil, String reason, int opens, long calls, long failures)
      implements Event {}

  /** The circuit closed. */
  public record Closed(Instant at, String reason) implements Event {}

  // ---- state ----

  /** The persisted part: phase, cool-down, last reason, openings in a row, version. */
  public record State(
      CircuitPhase phase, Instant openUntil, String reason, int opens, Instant changedAt, long version)
      implements CborSerializable {

    public static State initial() {
      return new State(CircuitPhase.CLOSED, null, null, 0, null, 0);
    }

    State apply(Event event) {
      if (event instanceof Opened e) {
        return new State(CircuitPhase.OPEN, e.openUntil(), e.reason(), e.opens(), e.at(), version + 1);
      } else if (event instanceof Closed e) {
        return new State(CircuitPhase.CLOSED, null, e.reason(), 0, e.at(), version + 1);
      }
      throw new IllegalStateException("unknown event " + event.getClass().getName());
    }

    CircuitPhase phaseAt(Instant now) {
      if (phase == CircuitPhase.CLOSED) {
        return CircuitPhase.CLOSED;
      }
      return openUntil != null && now.isBefore(openUntil) ? CircuitPhase.OPEN : CircuitPhase.HALF_OPEN;
    }
  }

  // ---- wiring ----

  /** Starts sharding for the circuit entities on this node (idempotent), with {@code tollgate.circuits} settings. */
  public static void init(ActorSystem<?> system) {
    CircuitSettings settings = CircuitSettings.fromConfig(system.settings().config());
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  /** The circuit of {@code deploymentId} in {@code region}; {@link #init} must have run. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String region, String deploymentId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, new CircuitKey(region, deploymentId).entityId());
  }

  /** The persistence id of a circuit: includes the region. */
  public static PersistenceId persistenceId(CircuitKey key) {
    return PersistenceId.of(ENTITY_KEY.name(), key.entityId());
  }

  /** The entity behaviour with the system clock. */
  public static Behavior<Command> create(String entityId, CircuitSettings settings) {
    return create(entityId, settings, Clock.systemUTC());
  }

  /** The entity behaviour; {@code clock} decides cool-downs and the window. */
  public static Behavior<Command> create(String entityId, CircuitSettings settings, Clock clock) {
    CircuitKey key = CircuitKey.parse(entityId);
    return Behaviors.setup(ctx -> new ProviderCircuit(key, settings, clock, CircuitTopic.get(ctx.getSystem(), key.region())));
  }

  private final CircuitKey key;
  private final CircuitSettings settings;
  private final Clock clock;
  private final ActorRef<Topic.Command<CircuitState>> topic;
  // In memory only (see the class comment).
  private final OutcomeWindow window;
  private long failuresInARow;
  private long probeSuccesses;
  private Instant lastPublished = Instant.MIN;

  private ProviderCircuit(
      CircuitKey key, CircuitSettings settings, Clock clock, ActorRef<Topic.Command<CircuitState>> topic) {
    super(persistenceId(key));
    this.key = key;
    this.settings = settings;
    this.clock = clock;
    this.topic = topic;
    this.window = new OutcomeWindow(settings.window());
  }

  @Override
  public State emptyState() {
    return State.initial();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Report.class, this::onReport)
        .onCommand(Get.class, (s, cmd) -> Effect().reply(cmd.replyTo(), view(s)))
        .onCommand(ForceOpen.class, this::onForceOpen)
        .onCommand(ForceClose.class, this::onForceClose)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  private ReplyEffect<Event, State> onReport(State state, Report cmd) {
    OutcomeBatch batch = cmd.batch();
    if (batch == null) {
      return Effect().reply(cmd.replyTo(), view(state));
    }
    Instant now = clock.instant();
    return switch (state.phaseAt(now)) {
      case CLOSED -> whenClosed(state, batch, now, cmd.replyTo());
      case OPEN -> whenOpen(state, batch, now, cmd.replyTo());
      case HALF_OPEN -> whenHalfOpen(state, batch, now, cmd.replyTo());
    };
  }

  private ReplyEffect<Event, State> whenClosed(State state, OutcomeBatch batch, Instant now, ActorRef<CircuitState> replyTo) {
    window.add(now, batch.calls(), batch.failures(), batch.slowCalls());
    failuresInARow = batch.successes() > 0 ? batch.trailingFailures() : failuresInARow + batch.failures();
    Optional<TripRules.Trip> trip = TripRules.whenClosed(settings, batch, window.totals(now), failuresInARow);
    if (trip.isEmpty()) {
      return Effect().reply(replyTo, view(state));
    }
    TripRules.Trip t = trip.get();
    return open(new Opened(now, now.plus(t.coolDown()), t.reason(), 1, t.calls(), t.failures()), replyTo);
  }

  /** Only a 429 that asks for a longer wait than what is left changes an open circuit: it extends it. */
  private ReplyEffect<Event, State> whenOpen(State state, OutcomeBatch batch, Instant now, ActorRef<CircuitState> replyTo) {
    if (batch.rateLimited() > 0) {
      Instant until = now.plus(settings.rateLimitedCoolDown(batch.maxRetryAfterMillis()));
      if (until.isAfter(state.openUntil())) {
        return open(new Opened(now, until, CircuitReason.RATE_LIMITED, state.opens(), 0, 0), replyTo);
      }
    }
    republishIfDue(state, now);
    return Effect().reply(replyTo, view(state));
  }

  /**
   * Outcomes all recorded before the cool-down ended belong to calls admitted while it was still
   * closed, not to probes: they are ignored.
   */
  private ReplyEffect<Event, State> whenHalfOpen(State state, OutcomeBatch batch, Instant now, ActorRef<CircuitState> replyTo) {
    boolean stale = batch.lastAt() != null && batch.lastAt().isBefore(state.openUntil());
    if (!stale && batch.anyFailed()) {
      int opens = state.opens() + 1;
      Duration coolDown = batch.rateLimited() > 0
          ? settings.rateLimitedCoolDown(batch.maxRetryAfterMillis())
          : settings.coolDown(opens);
      String reason = batch.rateLimited() > 0 ? CircuitReason.RATE_LIMITED : CircuitReason.PROBE_FAILED;
      return open(new Opened(now, now.plus(coolDown), reason, opens, batch.calls(), batch.failures()), replyTo);
    }
    if (!stale) {
      probeSuccesses += batch.successes();
      if (probeSuccesses >= settings.probesToClose()) {
        return close(new Closed(now, CircuitReason.PROBES_SUCCEEDED), replyTo);
      }
    }
    republishIfDue(state, now);
    return Effect().reply(replyTo, view(state));
  }

  private ReplyEffect<Event, State> onForceOpen(State state, ForceOpen cmd) {
    Duration d = cmd.duration();
    if (d == null || d.isZero() || d.isNegative()) {
      return Effect().reply(cmd.replyTo(), view(state));
    }
    Instant now = clock.instant();
    String text = cmd.reason() == null ? "" : cmd.reason().strip();
    String reason = text.isEmpty() ? CircuitReason.FORCED : CircuitReason.FORCED + ": " + text;
    int opens = state.phase() == CircuitPhase.CLOSED ? 1 : state.opens();
    return open(new Opened(now, now.plus(d), reason, opens, 0, 0), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onForceClose(State state, ForceClose cmd) {
    if (state.phase() == CircuitPhase.CLOSED) {
      return Effect().reply(cmd.replyTo(), view(state));
    }
    return close(new Closed(clock.instant(), CircuitReason.FORCED), cmd.replyTo());
  }

  private ReplyEffect<Event, State> open(Opened event, ActorRef<CircuitState> replyTo) {
    startOver();
    return Effect().persist(event).thenRun(this::publish).thenReply(replyTo, this::view);
  }

  private ReplyEffect<Event, State> close(Closed event, ActorRef<CircuitState> replyTo) {
    startOver();
    return Effect().persist(event).thenRun(this::publish).thenReply(replyTo, this::view);
  }

  /** A transition: the window, the failures in a row and the probe count start from zero. */
  private void startOver() {
    window.clear();
    failuresInARow = 0;
    probeSuccesses = 0;
  }

  private void republishIfDue(State state, Instant now) {
    if (state.phaseAt(now) != CircuitPhase.CLOSED
        && !now.isBefore(lastPublished.plus(settings.republishInterval()))) {
      publish(state);
    }
  }

  private void publish(State state) {
    lastPublished = clock.instant();
    topic.tell(Topic.publish(view(state)));
  }

  private CircuitState view(State s) {
    return new CircuitState(key.deploymentId(), key.region(), s.phase(), s.openUntil(), s.reason(), s.opens(),
        s.changedAt(), s.version());
  }
}
