package io.tollgate.persistence.circuit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's {@link Topic} actor per region for {@link CircuitState}s ({@link #topicName}), started
 * on first use and alive as long as the node. {@link ProviderCircuit} entities publish through it,
 * every node's circuit book subscribes through it. Like the registry topic it outlives the
 * entities, so an entity that restarts or moves here publishes through a topic that already knows
 * the other nodes.
 */
public final class CircuitTopic implements Extension {
  private static final ExtensionId<CircuitTopic> ID = new ExtensionId<>() {
    @Override
    public CircuitTopic createExtension(ActorSystem<?> system) {
      return new CircuitTopic(system);
    }
  };

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<Topic.Command<CircuitState>>> topics = new ConcurrentHashMap<>();

  private CircuitTopic(ActorSystem<?> system) {
    this.system = system;
  }

  /** The name of the topic that carries {@code region}'s circuit states. */
  public static String topicName(String region) {
    return "tollgate-circuits-" + region;
  }

  /** This node's topic for {@code region} (a valid {@link CircuitKey} region name). */
  public static ActorRef<Topic.Command<CircuitState>> get(ActorSystem<?> system, String region) {
    return ID.apply(system).topic(CircuitKey.requireRegion(region));
  }

  private ActorRef<Topic.Command<CircuitState>> topic(String region) {
    return topics.computeIfAbsent(region, r -> system.systemActorOf(
        Topic.create(CircuitState.class, topicName(r)), "tollgate-circuit-topic-" + r, Props.empty()));
  }
}
