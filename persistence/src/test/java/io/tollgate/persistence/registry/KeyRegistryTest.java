package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.registry.KeyRegistry.Command;
import io.tollgate.persistence.registry.KeyRegistry.CreateKey;
import io.tollgate.persistence.registry.KeyRegistry.CreateTenant;
import io.tollgate.persistence.registry.KeyRegistry.Event;
import io.tollgate.persistence.registry.KeyRegistry.GetSnapshot;
import io.tollgate.persistence.registry.KeyRegistry.KeyCreated;
import io.tollgate.persistence.registry.KeyRegistry.ListKeys;
import io.tollgate.persistence.registry.KeyRegistry.ListTenants;
import io.tollgate.persistence.registry.KeyRegistry.RevokeKey;
import io.tollgate.persistence.registry.KeyRegistry.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRegistryTest {

  static final Config CONFIG = ConfigFactory.parseString("""
          pekko.actor.serialization-bindings {
            "io.tollgate.persistence.CborSerializable" = jackson-cbor
          }
          """)
      .withFallback(EventSourcedBehaviorTestKit.config());

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withName("KeyRegistryTest").withCustomConfig(CONFIG).build();

  private EventSourcedBehaviorTestKit<Command, Event, State> registry() {
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        KeyRegistry.create(PersistenceId.of(KeyRegistry.ENTITY_KEY.name(), "test-" + UUID.randomUUID())));
  }

  private static TenantInfo createTenant(EventSourcedBehaviorTestKit<Command, Event, State> kit, String id) {
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<TenantInfo>> r =
        kit.runCommand(replyTo -> new CreateTenant(id, "Tenant " + id, replyTo));
    return r.reply().getValue();
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<CreatedKey>>
      createKey(EventSourcedBehaviorTestKit<Command, Event, State> kit, String tenant, String preset) {
    return kit.runCommand(replyTo -> new CreateKey(tenant, "ci key", List.of("demo-openai"), preset, replyTo));
  }

  @Test
  void creates_a_tenant_and_lists_it() {
    var kit = registry();

    TenantInfo acme = createTenant(kit, "acme");

    assertThat(acme.tenantId()).isEqualTo("acme");
    assertThat(acme.name()).isEqualTo("Tenant acme");
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<TenantInfo>>> list =
        kit.runCommand(ListTenants::new);
    assertThat(list.reply().getValue()).containsExactly(acme);
  }

  @Test
  void refuses_a_duplicate_tenant() {
    var kit = registry();
    createTenant(kit, "acme");

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<TenantInfo>> again =
        kit.runCommand(replyTo -> new CreateTenant("acme", "Other", replyTo));

    assertThat(again.reply().isError()).isTrue();
    assertThat(again.reply().getError().getMessage()).contains("already exists");
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void refuses_tenant_ids_outside_the_allowed_alphabet() {
    var kit = registry();

    for (String bad : List.of("", "Acme", "-acme", "acme_corp", "a".repeat(64), "acme corp")) {
      EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<TenantInfo>> r =
          kit.runCommand(replyTo -> new CreateTenant(bad, "x", replyTo));
      assertThat(r.reply().isError()).as(bad).isTrue();
      assertThat(r.hasNoEvents()).isTrue();
    }
    assertThat(createTenant(kit, "a" + "-b".repeat(31)).tenantId()).hasSize(63);
  }

  @Test
  void creates_a_key_whose_secret_is_returned_once_and_stored_only_as_its_hash() {
    var kit = registry();
    createTenant(kit, "acme");

    var result = createKey(kit, "acme", null);

    CreatedKey created = result.reply().getValue();
    String secret = created.secret();
    assertThat(secret).startsWith("tg_").hasSize(43).matches("tg_[0-9A-Za-z]{40}");
    assertThat(created.info().keyId()).matches("key_[0-9A-Za-z]{16}");
    assertThat(created.info().keyHash()).isEqualTo(ApiKeys.sha256Hex(secret));
    assertThat(created.info().allowedModels()).containsExactly("demo-openai");
    assertThat(created.toString()).doesNotContain(secret);

    KeyCreated event = result.eventOfType(KeyCreated.class);
    assertThat(event.keyHash()).isEqualTo(ApiKeys.sha256Hex(secret));
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    String journalBytes = new String(serialization.serialize(event).get(), StandardCharsets.ISO_8859_1);
    assertThat(journalBytes).doesNotContain(secret).doesNotContain(secret.substring(3));
    assertThat(result.state().toString()).doesNotContain(secret);
  }

  @Test
  void generates_a_different_secret_for_every_key() {
    var kit = registry();
    createTenant(kit, "acme");

    CreatedKey first = createKey(kit, "acme", null).reply().getValue();
    CreatedKey second = createKey(kit, "acme", null).reply().getValue();

    assertThat(first.secret()).isNotEqualTo(second.secret());
    assertThat(first.info().keyId()).isNotEqualTo(second.info().keyId());
  }

  @Test
  void a_preset_secret_is_used_as_is_and_creating_it_again_returns_the_same_key() {
    var kit = registry();
    createTenant(kit, "demo");
    String preset = "tg_demo_0123456789abcdef";

    var first = createKey(kit, "demo", preset);
    var second = createKey(kit, "demo", preset);

    assertThat(first.reply().getValue().secret()).isEqualTo(preset);
    assertThat(first.reply().getValue().info().keyHash()).isEqualTo(ApiKeys.sha256Hex(preset));
    assertThat(second.reply().isSuccess()).isTrue();
    assertThat(second.reply().getValue().info()).isEqualTo(first.reply().getValue().info());
    assertThat(second.hasNoEvents()).isTrue();
  }

  @Test
  void refuses_a_malformed_preset_secret_without_echoing_it() {
    var kit = registry();
    createTenant(kit, "demo");

    for (String bad : List.of("tg_short", "sk_0123456789abcdefghij", "tg_0123456789 abcdefghij")) {
      var r = createKey(kit, "demo", bad);
      assertThat(r.reply().isError()).as(bad).isTrue();
      assertThat(r.reply().getError().getMessage()).doesNotContain(bad);
      assertThat(r.hasNoEvents()).isTrue();
    }
  }

  @Test
  void a_preset_secret_of_another_tenant_is_refused() {
    var kit = registry();
    createTenant(kit, "one");
    createTenant(kit, "two");
    String preset = "tg_shared_0123456789abcdef";
    createKey(kit, "one", preset);

    var r = createKey(kit, "two", preset);

    assertThat(r.reply().isError()).isTrue();
    assertThat(r.reply().getError().getMessage()).doesNotContain(preset);
  }

  @Test
  void refuses_key_operations_for_an_unknown_tenant() {
    var kit = registry();

    assertThat(createKey(kit, "nobody", null).reply().getError().getMessage()).contains("unknown tenant");
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<KeyInfo>>> list =
        kit.runCommand(replyTo -> new ListKeys("nobody", replyTo));
    assertThat(list.reply().isError()).isTrue();
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<KeyInfo>> revoke =
        kit.runCommand(replyTo -> new RevokeKey("nobody", "key_x", replyTo));
    assertThat(revoke.reply().isError()).isTrue();
  }

  @Test
  void revokes_a_key_once() {
    var kit = registry();
    createTenant(kit, "acme");
    KeyInfo key = createKey(kit, "acme", null).reply().getValue().info();

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<KeyInfo>> revoked =
        kit.<StatusReply<KeyInfo>>runCommand(replyTo -> new RevokeKey("acme", key.keyId(), replyTo));
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<KeyInfo>> again =
        kit.<StatusReply<KeyInfo>>runCommand(replyTo -> new RevokeKey("acme", key.keyId(), replyTo));

    assertThat(revoked.reply().getValue().revoked()).isTrue();
    assertThat(revoked.reply().getValue().revokedAt()).isNotNull();
    assertThat(again.reply().getValue()).isEqualTo(revoked.reply().getValue());
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void a_key_keeps_its_team_through_revocation_and_restart() {
    var kit = registry();
    createTenant(kit, "acme");

    var created = kit.<StatusReply<CreatedKey>>runCommand(
        replyTo -> new CreateKey("acme", "ml key", List.of(), null, " ml ", replyTo));
    KeyInfo key = created.reply().getValue().info();
    KeyInfo revoked = kit.<StatusReply<KeyInfo>>runCommand(replyTo -> new RevokeKey("acme", key.keyId(), replyTo))
        .reply().getValue();
    kit.restart();

    assertThat(key.team()).isEqualTo("ml");
    assertThat(created.eventOfType(KeyCreated.class).team()).isEqualTo("ml");
    assertThat(revoked.team()).isEqualTo("ml");
    assertThat(kit.getState().keys().get(key.keyId()).team()).isEqualTo("ml");
  }

  @Test
  void a_key_without_a_team_has_none() {
    var kit = registry();
    createTenant(kit, "acme");

    KeyInfo blank = kit.<StatusReply<CreatedKey>>runCommand(
        replyTo -> new CreateKey("acme", "k", List.of(), null, "  ", replyTo)).reply().getValue().info();
    KeyInfo old = createKey(kit, "acme", null).reply().getValue().info();

    assertThat(blank.team()).isNull();
    assertThat(old.team()).isNull();
  }

  @Test
  void does_not_revoke_another_tenants_key() {
    var kit = registry();
    createTenant(kit, "one");
    createTenant(kit, "two");
    KeyInfo key = createKey(kit, "one", null).reply().getValue().info();

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<KeyInfo>> r =
        kit.runCommand(replyTo -> new RevokeKey("two", key.keyId(), replyTo));

    assertThat(r.reply().isError()).isTrue();
    assertThat(r.hasNoEvents()).isTrue();
  }

  @Test
  void lists_a_tenants_keys_without_secrets() {
    var kit = registry();
    createTenant(kit, "acme");
    createTenant(kit, "other");
    CreatedKey a = createKey(kit, "acme", null).reply().getValue();
    CreatedKey b = createKey(kit, "acme", null).reply().getValue();
    createKey(kit, "other", null);

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<KeyInfo>>> r =
        kit.runCommand(replyTo -> new ListKeys("acme", replyTo));

    List<KeyInfo> keys = r.reply().getValue();
    assertThat(keys).extracting(KeyInfo::keyId).containsExactlyInAnyOrder(a.info().keyId(), b.info().keyId());
    assertThat(keys.toString()).doesNotContain(a.secret()).doesNotContain(b.secret());
  }

  @Test
  void the_snapshot_holds_every_key_by_hash_with_the_version() {
    var kit = registry();
    createTenant(kit, "acme");
    CreatedKey created = createKey(kit, "acme", null).reply().getValue();

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, RegistrySnapshot> r =
        kit.runCommand(GetSnapshot::new);

    assertThat(r.reply().version()).isEqualTo(2);
    assertThat(r.reply().keys()).containsOnlyKeys(ApiKeys.sha256Hex(created.secret()));
  }

  @Test
  void the_registry_survives_a_restart() {
    var kit = registry();
    createTenant(kit, "acme");
    KeyInfo key = createKey(kit, "acme", null).reply().getValue().info();
    kit.<StatusReply<KeyInfo>>runCommand(replyTo -> new RevokeKey("acme", key.keyId(), replyTo));
    State before = kit.getState();

    State after = kit.restart().state();

    assertThat(after).isEqualTo(before);
    assertThat(after.version()).isEqualTo(3);
    assertThat(after.keys().get(key.keyId()).revoked()).isTrue();
  }

  @Test
  void publishes_every_key_change_to_the_update_topic() {
    TestProbe<RegistryUpdate> updates = testKit.createTestProbe();
    TestProbe<Topic.TopicStats> stats = testKit.createTestProbe();
    ActorRef<Topic.Command<RegistryUpdate>> topic = testKit.spawn(Topic.create(RegistryUpdate.class, KeyRegistry.TOPIC_NAME));
    topic.tell(Topic.subscribe(updates.getRef()));
    // Once the subscription is in place, the topic has registered itself with the receptionist.
    stats.awaitAssert(() -> {
      topic.tell(Topic.getTopicStats(stats.getRef()));
      assertThat(stats.receiveMessage().localSubscriberCount()).isEqualTo(1);
      return null;
    });
    var kit = registry();
    createTenant(kit, "acme");

    KeyInfo key = createKey(kit, "acme", null).reply().getValue().info();
    RegistryUpdate created = updates.receiveMessage(Duration.ofSeconds(5));
    kit.<StatusReply<KeyInfo>>runCommand(replyTo -> new RevokeKey("acme", key.keyId(), replyTo));
    RegistryUpdate revoked = updates.receiveMessage(Duration.ofSeconds(5));

    assertThat(created.key()).isEqualTo(key);
    assertThat(created.version()).isEqualTo(2);
    assertThat(created.follows(1)).isTrue();
    assertThat(revoked.key().revoked()).isTrue();
    assertThat(revoked.version()).isEqualTo(3);
    assertThat(revoked.follows(2)).isTrue();
    testKit.stop(topic);
  }

  @Test
  void key_lists_survive_serialization_between_nodes() {
    var kit = registry();
    createTenant(kit, "acme");
    createKey(kit, "acme", null);
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<KeyInfo>>> keys =
        kit.runCommand(replyTo -> new ListKeys("acme", replyTo));
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<TenantInfo>>> tenants =
        kit.runCommand(ListTenants::new);

    StatusReply<List<KeyInfo>> keysCopy = testKit.serializationTestKit().verifySerialization(keys.reply(), false);
    StatusReply<List<TenantInfo>> tenantsCopy = testKit.serializationTestKit().verifySerialization(tenants.reply(), false);

    assertThat(keysCopy.getValue()).isEqualTo(keys.reply().getValue());
    assertThat(tenantsCopy.getValue()).isEqualTo(tenants.reply().getValue());
  }
}
