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

  @Test
  void lists_tenants_page_by_page_in_id_order() {
    var kit = registry();
    for (String id : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
      createTenant(kit, id);
    }

    TenantPage first = page(kit, null, 2);
    TenantPage second = page(kit, first.lastTenantId(), 2);
    TenantPage last = page(kit, second.lastTenantId(), 2);

    assertThat(first.tenants()).extracting(TenantInfo::tenantId).containsExactly("alpha", "bravo");
    assertThat(first.hasMore()).isTrue();
    assertThat(second.tenants()).extracting(TenantInfo::tenantId).containsExactly("charlie", "delta");
    assertThat(last.tenants()).extracting(TenantInfo::tenantId).containsExactly("echo");
    assertThat(last.hasMore()).isFalse();
    assertThat(page(kit, "echo", 2).tenants()).isEmpty();
  }

  @Test
  void a_page_of_tenants_fits_one_remoting_frame_however_long_their_names() {
    var kit = registry();
    String longName = "\u00e9\u4e2d".repeat(KeyRegistry.MAX_NAME_LENGTH / 2);
    for (int i = 0; i < 400; i++) {
      String id = String.format("tenant-%04d", i);
      kit.<StatusReply<TenantInfo>>runCommand(replyTo -> new CreateTenant(id, longName, replyTo));
    }

    StatusReply<TenantPage> reply = kit.<StatusReply<TenantPage>>runCommand(
        replyTo -> new KeyRegistry.ListTenantsPage(null, 1000, replyTo)).reply();
    byte[] bytes = org.apache.pekko.serialization.SerializationExtension.get(testKit.system().classicSystem())
        .serialize(reply).get();

    assertThat(reply.getValue().hasMore()).isTrue();
    assertThat(reply.getValue().tenants()).hasSizeGreaterThan(100);
    assertThat(bytes.length).isLessThan(256 * 1024);
    StatusReply<TenantPage> copy = testKit.serializationTestKit().verifySerialization(reply, false);
    assertThat(copy.getValue()).isEqualTo(reply.getValue());
  }

  private static TenantPage page(EventSourcedBehaviorTestKit<Command, Event, State> kit, String after, int limit) {
    return kit.<StatusReply<TenantPage>>runCommand(replyTo -> new KeyRegistry.ListTenantsPage(after, limit, replyTo))
        .reply().getValue();
  }
}
