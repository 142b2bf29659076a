package io.tollgate.node.circuit;

import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.persistence.circuit.CircuitKey;
import io.tollgate.persistence.circuit.CircuitPhase;
import io.tollgate.persistence.circuit.CircuitSettings;
import io.tollgate.persistence.circuit.CircuitState;
import io.tollgate.persistence.circuit.OutcomeBatch;
import io.tollgate.persistence.circuit.ProviderCircuit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.japi.function.Function;

/**
 * This node's view of its region's provider circuits: the only thing the request path touches.
 * {@link #phase}, {@link #tryAcquire} and {@link #record} are lock-free map reads and counter
 * updates; they never ask an actor.
 *
 * <p>A {@link CircuitBookActor} keeps the view current: it takes every {@link CircuitState} the
 * region's {@link ProviderCircuit} entities publish, and every {@code report-interval} sends the
 * outcomes recorded since the last time, one batch per deployment, and takes the entity's answer.
 * Older versions than the view has are ignored. A 429 (for its {@code retry-after}) and a failed
 * half-open probe (for the doubled cool-down) open this node's view at once, before the entity
 * has heard of them.
 */
public final class CircuitBook {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ActorSystem<?> system;
  private final String region;
  private final CircuitSettings settings;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final String node;
  private final Map<String, DeploymentCircuit> circuits = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;

  private CircuitBook(ActorSystem<?> system, String region, CircuitSettings settings, GatewayMetrics metrics, Clock clock) {
    this.system = system;
    this.region = region;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.node = Cluster.get(system).selfMember().address().toString();
  }

  /**
   * Starts the book on this node: sharding for {@link ProviderCircuit} (if not yet), the
   * subscription to {@code region}'s circuit topic and the report schedule, with
   * {@code tollgate.circuits} settings. {@code metrics} may be null (no circuit gauge).
   */
  public static CircuitBook start(ActorSystem<?> system, String region, GatewayMetrics metrics) {
    CircuitKey.requireRegion(region);
    ProviderCircuit.init(system);
    CircuitSettings settings = CircuitSettings.fromConfig(system.settings().config());
    CircuitBook book = new CircuitBook(system, region, settings, metrics, Clock.systemUTC());
    String enabledPath = CircuitSettings.PATH + ".enabled";
    book.enabled = !system.settings().config().hasPath(enabledPath) || system.settings().config().getBoolean(enabledPath);
    String name = "tollgate-circuit-book-" + INSTANCES.incrementAndGet();
    ActorRef<CircuitBookActor.Msg> actor = system.systemActorOf(CircuitBookActor.create(book), name, Props.empty());
    // After the node has drained its requests: stop reporting to entities that are going away.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), name, () -> {
      actor.tell(CircuitBookActor.Stop.INSTANCE);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return book;
  }

  /** The region whose circuits this book follows. */
  public String region() {
    return region;
  }

  /** The deployment's phase as this node sees it now (closed when nothing is known). */
  public CircuitPhase phase(String deploymentId) {
    DeploymentCircuit c = deploymentId == null || !enabled ? null : circuits.get(deploymentId);
    return c == null ? CircuitPhase.CLOSED : c.phaseAt(clock.instant());
  }

  /**
   * Whether an attempt on the deployment may start now: always when closed, never when open, and
   * when half-open only while fewer than {@code half-open-probes-per-node} probes run on this
   * node. Every attempt admitted here must end in exactly one {@link #record}.
   */
  public boolean tryAcquire(String deploymentId) {
    DeploymentCircuit c = deploymentId == null || !enabled ? null : circuits.get(deploymentId);
    if (c == null) {
      return true;
    }
    return switch (c.phaseAt(clock.instant())) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> c.tryProbe(settings.halfOpenProbesPerNode());
    };
  }

  /** How an attempt admitted by {@link #tryAcquire} ended; releases its probe permit. */
  public void record(String deploymentId, CallResult result) {
    if (deploymentId == null || deploymentId.isBlank() || result == null || !enabled) {
      return;
    }
    Instant now = clock.instant();
    if (result.kind() == CallResult.Kind.NEUTRAL) {
      DeploymentCircuit c = circuits.get(deploymentId);
      if (c != null) {
        c.releaseProbe();
      }
      return;
    }
    DeploymentCircuit c = circuit(deploymentId);
    CircuitPhase before = c.phaseAt(now);
    c.releaseProbe();
    boolean slow = settings.slow(result.latencyMillis());
    switch (result.kind()) {
      case SUCCESS -> c.pending.success(now, slow);
      case FAILURE -> {
        c.pending.failure(now, slow);
        if (before == CircuitPhase.HALF_OPEN) {
          c.openLocally(now.plus(settings.coolDown(c.opens() + 1)));
        }
      }
      case RATE_LIMITED -> {
        long retryAfterMillis = result.retryAfterMillis();
        c.pending.rateLimited(now, retryAfterMillis);
        c.openLocally(now.plus(settings.rateLimitedCoolDown(retryAfterMillis)));
      }
      default -> {
        // NEUTRAL returned above.
      }
    }
    showPhase(c, now);
  }

  /** When the running cool-down of the deployment ends, as this node sees it; empty when not open. */
  public Optional<Instant> openUntil(String deploymentId) {
    DeploymentCircuit c = deploymentId == null ? null : circuits.get(deploymentId);
    return c == null ? Optional.empty() : c.openUntil(clock.instant());
  }

  /** The newest entity state of every deployment this node has heard of, by deployment id. */
  public List<CircuitState> states() {
    return circuits.values().stream()
        .map(DeploymentCircuit::state)
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(CircuitState::deploymentId))
        .toList();
  }

  /** Admin: opens the deployment's circuit in this region for exactly {@code duration}. */
  public CompletionStage<CircuitState> forceOpen(String deploymentId, Duration duration, String reason) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("the duration must be positive"));
    }
    return ask(deploymentId, r -> new ProviderCircuit.ForceOpen(duration, reason, r))
        .thenApply(this::accepted);
  }

  /** Admin: closes the deployment's circuit in this region now. */
  public CompletionStage<CircuitState> forceClose(String deploymentId) {
    return ask(deploymentId, ProviderCircuit.ForceClose::new).thenApply(state -> {
      circuit(deploymentId).clearLocal();
      return accepted(state);
    });
  }

  private CompletionStage<CircuitState> ask(
      String deploymentId, Function<ActorRef<CircuitState>, ProviderCircuit.Command> message) {
    try {
      return ProviderCircuit.ref(system, region, deploymentId).ask(message, settings.askTimeout());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CircuitState accepted(CircuitState state) {
    accept(state);
    return state;
  }

  // ---- used by CircuitBookActor ----

  CircuitSettings settings() {
    return settings;
  }

  ActorSystem<?> system() {
    return system;
  }

  /** Takes a state published or replied by an entity of this region, if newer than the view's. */
  void accept(CircuitState state) {
    if (state == null || state.deploymentId() == null || !region.equals(state.region())) {
      return;
    }
    DeploymentCircuit c = circuit(state.deploymentId());
    c.accept(state);
    showPhase(c, clock.instant());
  }

  /** The outcome batches to report now, one per deployment that had outcomes. */
  List<OutcomeBatch> drain() {
    Instant now = clock.instant();
    return circuits.values().stream()
        .map(c -> {
          showPhase(c, now);
          return c.pending.drain(c.deploymentId, node);
        })
        .filter(Objects::nonNull)
        .toList();
  }

  private DeploymentCircuit circuit(String deploymentId) {
    return circuits.computeIfAbsent(deploymentId, DeploymentCircuit::new);
  }

  /** Gives the metrics the phase this node sees now, when it changed (also from time passing). */
  private void showPhase(DeploymentCircuit c, Instant now) {
    CircuitPhase phase = c.phaseAt(now);
    if (c.show(phase) && metrics != null) {
      metrics.recordCircuitState(c.deploymentId, switch (phase) {
        case CLOSED -> GatewayMetrics.CIRCUIT_CLOSED;
        case HALF_OPEN -> GatewayMetrics.CIRCUIT_HALF_OPEN;
        case OPEN -> GatewayMetrics.CIRCUIT_OPEN;
      });
    }
  }
}
