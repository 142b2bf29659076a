package io.tollgate.persistence.registry;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's one {@link Topic} actor for {@link RegistryUpdate}s ({@value KeyRegistry#TOPIC_NAME}),
 * started on first use and alive as long as the node. The {@link KeyRegistry} entity publishes
 * through it and the {@link KeyDirectory} subscribes through it.
 *
 * <p>A topic actor only delivers to the other nodes' topic actors it has already discovered
 * through the receptionist, which takes a gossip round. Because this one outlives the entity, an
 * entity that restarts or moves to this node publishes through a topic that already knows every
 * node, instead of one that has just started and would drop its first updates.
 */
public final class RegistryTopic implements Extension {
  private static final ExtensionId<RegistryTopic> ID = new ExtensionId<>() {
    @Override
    public RegistryTopic createExtension(ActorSystem<?> system) {
      return new RegistryTopic(system);
    }
  };

  private final ActorRef<Topic.Command<RegistryUpdate>> topic;

  private RegistryTopic(ActorSystem<?> system) {
    this.topic = system.systemActorOf(
        Topic.create(RegistryUpdate.class, KeyRegistry.TOPIC_NAME), "tollgate-key-registry-topic", Props.empty());
  }

  /** This node's registry topic. */
  public static ActorRef<Topic.Command<RegistryUpdate>> get(ActorSystem<?> system) {
    return ID.apply(system).topic;
  }
}
