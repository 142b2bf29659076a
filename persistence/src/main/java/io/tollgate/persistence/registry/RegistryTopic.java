package io.tollgate.persistence.registry;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's one {@link Topic} actor for {@link KeyChange}s ({@value #TOPIC_NAME}), started on
 * first use and alive as long as the node. {@link KeyAdmin} publishes through it and the
 * {@link KeyDirectory} subscribes through it; each message carries one key, never the registry.
 *
 * <p>A topic actor only delivers to the other nodes' topic actors it has already discovered
 * through the receptionist, which takes a gossip round; changes made meanwhile reach a new node
 * through the change log ({@link KeyChangeFeed}).
 */
public final class RegistryTopic implements Extension {
  /** The pub-sub topic carrying {@link KeyChange}s (a new name: the old one carried whole-registry updates). */
  public static final String TOPIC_NAME = "tollgate-key-changes";

  private static final ExtensionId<RegistryTopic> ID = new ExtensionId<>() {
    @Override
    public RegistryTopic createExtension(ActorSystem<?> system) {
      return new RegistryTopic(system);
    }
  };

  private final ActorRef<Topic.Command<KeyChange>> topic;

  private RegistryTopic(ActorSystem<?> system) {
    this.topic = system.systemActorOf(
        Topic.create(KeyChange.class, TOPIC_NAME), "tollgate-key-changes-topic", Props.empty());
  }

  /** This node's key-change topic. */
  public static ActorRef<Topic.Command<KeyChange>> get(ActorSystem<?> system) {
    return ID.apply(system).topic;
  }
}
