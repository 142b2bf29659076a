package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.registry.KeyRegistry.Command;
import io.tollgate.persistence.registry.KeyRegistry.CreateTenant;
import io.tollgate.persistence.registry.KeyRegistry.GetTenant;
import io.tollgate.persistence.registry.KeyRegistry.Event;
import io.tollgate.persistence.registry.KeyRegistry.ListTenants;
import io.tollgate.persistence.registry.KeyRegistry.State;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
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
  void answers_a_known_tenant_and_refuses_an_unknown_one() {
    var kit = registry();
    TenantInfo acme = createTenant(kit, "acme");

    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<TenantInfo>> known =
        kit.runCommand(replyTo -> new GetTenant("acme", replyTo));
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<TenantInfo>> unknown =
        kit.runCommand(replyTo -> new GetTenant("nobody", replyTo));

    assertThat(known.reply().getValue()).isEqualTo(acme);
    assertThat(unknown.reply().getError().getMessage()).contains("unknown tenant");
    assertThat(known.hasNoEvents()).isTrue();
  }

  @Test
  void a_journal_with_keys_of_earlier_versions_recovers_its_tenants() {
    PersistenceId id = PersistenceId.of(KeyRegistry.ENTITY_KEY.name(), "test-" + UUID.randomUUID());
    var kit = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(), KeyRegistry.create(id));
    Instant at = Instant.parse("2025-01-02T03:04:05Z");
    kit.persistenceTestKit().persistForRecovery(id.id(), List.of(
        new KeyRegistry.TenantCreated("acme", "Acme", at),
        new KeyRegistry.KeyCreated("key_0123456789abcdef", "acme", "old", ApiKeys.sha256Hex("tg_old_0123456789abcdef"),
            List.of(), at),
        new KeyRegistry.KeyRevoked("acme", "key_0123456789abcdef", at)));

    State recovered = kit.restart().state();

    assertThat(recovered.tenants()).containsOnlyKeys("acme");
    assertThat(recovered.keys().get("key_0123456789abcdef").revoked()).isTrue();
    assertThat(recovered.apply(new KeyRegistry.LegacyKeysMoved(1, at)).keys()).isEmpty();
  }

  @Test
  void tenant_lists_survive_serialization_between_nodes() {
    var kit = registry();
    createTenant(kit, "acme");
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<List<TenantInfo>>> tenants =
        kit.runCommand(ListTenants::new);

    StatusReply<List<TenantInfo>> tenantsCopy = testKit.serializationTestKit().verifySerialization(tenants.reply(), false);

    assertThat(tenantsCopy.getValue()).isEqualTo(tenants.reply().getValue());
  }
}
