package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Creating, revoking and listing keys on a single-node cluster with the key tables on Cassandra. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyAdminTest {
  private static final Duration ASK = Duration.ofSeconds(30);

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("KeyAdminTest").withCustomConfig(TestCassandra.config("")).build();

  private KeyStore store;
  private KeyAdmin admin;

  @BeforeAll
  void startRegistryAndKeyTables() throws Exception {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
      return null;
    });
    PersistenceSchema.ensure(testKit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    KeyRegistry.init(testKit.system());
    store = KeyStore.create(testKit.system());
    store.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
    admin = new KeyAdmin(testKit.system(), store, KeyDirectory.start(testKit.system(), store), ASK);
  }

  private String newTenant() throws Exception {
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(KeyRegistry.ref(testKit.system()),
            replyTo -> new KeyRegistry.CreateTenant(tenant, "Test tenant", replyTo), ASK, testKit.scheduler())
        .toCompletableFuture().get(90, TimeUnit.SECONDS);
    return tenant;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private CreatedKey create(String tenant, String preset) throws Exception {
    return await(admin.create(tenant, "ci key", List.of("demo-openai"), preset, null));
  }

  private static void assertRefused(CompletionStage<?> stage, String expectedMessagePart) {
    assertThatThrownBy(() -> stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining(expectedMessagePart);
  }

  @Test
  void creates_a_key_whose_secret_is_returned_once_and_stored_only_as_its_hash() throws Exception {
    CreatedKey created = create(newTenant(), null);

    String secret = created.secret();
    assertThat(secret).startsWith("tg_").hasSize(43).matches("tg_[0-9A-Za-z]{40}");
    assertThat(created.info().keyId()).matches("key_[0-9A-Za-z]{16}");
    assertThat(created.info().keyHash()).isEqualTo(ApiKeys.sha256Hex(secret));
    assertThat(created.info().allowedModels()).containsExactly("demo-openai");
    assertThat(created.toString()).doesNotContain(secret);
    assertThat(await(store.byHash(created.info().keyHash()))).contains(created.info());
    var session = CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    for (String table : List.of("api_keys_by_hash", "api_keys_by_tenant", "api_key_ids", "api_key_changes")) {
      String rows = await(session.selectAll("SELECT * FROM tollgate." + table)).stream()
          .map(r -> r.getFormattedContents()).reduce("", String::concat);
      assertThat(rows).as(table).doesNotContain(secret).doesNotContain(secret.substring(3));
    }
  }

  @Test
  void generates_a_different_secret_for_every_key() throws Exception {
    String tenant = newTenant();

    CreatedKey first = create(tenant, null);
    CreatedKey second = create(tenant, null);

    assertThat(first.secret()).isNotEqualTo(second.secret());
    assertThat(first.info().keyId()).isNotEqualTo(second.info().keyId());
  }

  @Test
  void a_preset_secret_is_used_as_is_and_creating_it_again_returns_the_same_key() throws Exception {
    String tenant = newTenant();
    String preset = "tg_demo_" + UUID.randomUUID().toString().replace("-", "");

    CreatedKey first = create(tenant, preset);
    CreatedKey second = create(tenant, preset);

    assertThat(first.secret()).isEqualTo(preset);
    assertThat(first.info().keyHash()).isEqualTo(ApiKeys.sha256Hex(preset));
    assertThat(second.info()).isEqualTo(first.info());
    assertThat(await(admin.list(tenant, null, 10)).keys()).containsExactly(first.info());
  }

  @Test
  void refuses_a_malformed_preset_secret_without_echoing_it() throws Exception {
    String tenant = newTenant();

    for (String bad : List.of("tg_short", "sk_0123456789abcdefghij", "tg_0123456789 abcdefghij", "tg_" + "x".repeat(300))) {
      CompletionStage<CreatedKey> r = admin.create(tenant, "k", List.of(), bad, null);
      assertRefused(r, "preset secret");
      assertThatThrownBy(() -> r.toCompletableFuture().get()).message().doesNotContain(bad);
    }
    assertThat(await(admin.list(tenant, null, 10)).keys()).isEmpty();
  }

  @Test
  void a_preset_secret_of_another_tenant_is_refused() throws Exception {
    String one = newTenant();
    String two = newTenant();
    String preset = "tg_shared_" + UUID.randomUUID().toString().replace("-", "");
    create(one, preset);

    CompletionStage<CreatedKey> r = admin.create(two, "k", List.of(), preset, null);

    assertRefused(r, "already in use");
    assertThatThrownBy(() -> r.toCompletableFuture().get()).message().doesNotContain(preset);
  }

  @Test
  void refuses_key_operations_for_an_unknown_tenant() {
    assertRefused(admin.create("nobody-" + UUID.randomUUID().toString().substring(0, 6), "k", List.of(), null, null),
        "unknown tenant");
    assertRefused(admin.list("nobody", null, 10), "unknown tenant");
    assertRefused(admin.revoke("nobody", "key_x"), "unknown tenant");
  }

  @Test
  void revokes_a_key_once() throws Exception {
    String tenant = newTenant();
    KeyInfo key = create(tenant, null).info();

    KeyInfo revoked = await(admin.revoke(tenant, key.keyId()));
    KeyInfo again = await(admin.revoke(tenant, key.keyId()));

    assertThat(revoked.revoked()).isTrue();
    assertThat(revoked.revokedAt()).isNotNull();
    assertThat(again).isEqualTo(revoked);
    assertThat(await(store.byHash(key.keyHash()))).contains(revoked);
    assertThat(await(admin.list(tenant, null, 10)).keys()).containsExactly(revoked);
  }

  @Test
  void a_key_keeps_its_team_through_revocation_and_a_blank_team_is_none() throws Exception {
    String tenant = newTenant();

    KeyInfo key = await(admin.create(tenant, "ml key", List.of(), null, " ml ")).info();
    KeyInfo blank = await(admin.create(tenant, "k", List.of(), null, "  ")).info();
    KeyInfo revoked = await(admin.revoke(tenant, key.keyId()));

    assertThat(key.team()).isEqualTo("ml");
    assertThat(revoked.team()).isEqualTo("ml");
    assertThat(await(store.byHash(key.keyHash())).orElseThrow().team()).isEqualTo("ml");
    assertThat(blank.team()).isNull();
  }

  @Test
  void does_not_revoke_another_tenants_key() throws Exception {
    String one = newTenant();
    String two = newTenant();
    KeyInfo key = create(one, null).info();

    assertRefused(admin.revoke(two, key.keyId()), "unknown key");

    assertThat(await(store.byHash(key.keyHash())).orElseThrow().revoked()).isFalse();
  }

  @Test
  void lists_a_tenants_keys_oldest_first_in_pages_without_secrets() throws Exception {
    String tenant = newTenant();
    String other = newTenant();
    List<CreatedKey> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(create(tenant, null));
    }
    create(other, null);

    List<KeyInfo> listed = new ArrayList<>();
    KeyPage page = await(admin.list(tenant, null, 3));
    int pages = 1;
    listed.addAll(page.keys());
    while (page.next() != null) {
      KeyPage.Cursor cursor = KeyPage.Cursor.parse(page.next().token()).orElseThrow();
      page = await(admin.list(tenant, cursor, 3));
      listed.addAll(page.keys());
      pages++;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(listed).containsExactlyElementsOf(created.stream().map(CreatedKey::info).toList());
    assertThat(listed.toString()).doesNotContain(created.get(0).secret());
    assertThat(KeyPage.Cursor.parse("not a token")).isEmpty();
  }

  @Test
  void publishes_every_key_change_as_one_key_on_the_topic() throws Exception {
    TestProbe<KeyChange> changes = testKit.createTestProbe();
    ActorRef<Topic.Command<KeyChange>> topic = RegistryTopic.get(testKit.system());
    topic.tell(Topic.subscribe(changes.getRef()));
    TestProbe<Topic.TopicStats> stats = testKit.createTestProbe();
    stats.awaitAssert(() -> {
      topic.tell(Topic.getTopicStats(stats.getRef()));
      assertThat(stats.receiveMessage().localSubscriberCount()).isGreaterThanOrEqualTo(2);
      return null;
    });
    String tenant = newTenant();

    KeyInfo key = create(tenant, null).info();
    KeyChange created = changes.fishForMessage(Duration.ofSeconds(10),
        c -> c.keyId().equals(key.keyId()) ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore()).get(0);
    await(admin.revoke(tenant, key.keyId()));
    KeyChange revoked = changes.fishForMessage(Duration.ofSeconds(10),
        c -> c.keyId().equals(key.keyId()) ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore()).get(0);

    assertThat(created).isEqualTo(new KeyChange(key.keyHash(), tenant, key.keyId(), false, key.createdAt()));
    assertThat(revoked.revoked()).isTrue();
    assertThat(testKit.serializationTestKit().verifySerialization(revoked, false)).isEqualTo(revoked);
    topic.tell(Topic.unsubscribe(changes.getRef()));
  }

  @Test
  void keys_in_a_registry_journal_of_an_earlier_version_are_copied_to_the_key_tables() throws Exception {
    String tenant = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
    PersistenceId id = PersistenceId.of(KeyRegistry.ENTITY_KEY.name(), "legacy-" + UUID.randomUUID());
    Instant at = Instant.parse("2025-06-01T10:00:00.123Z");
    String activeSecret = "tg_legacy_active_" + UUID.randomUUID().toString().replace("-", "");
    String revokedSecret = "tg_legacy_revoked_" + UUID.randomUUID().toString().replace("-", "");
    TestProbe<Done> written = testKit.createTestProbe();
    ActorRef<LegacyWriter.Write> writer = testKit.spawn(LegacyWriter.create(id));
    writer.tell(new LegacyWriter.Write(List.of(
        new KeyRegistry.TenantCreated(tenant, "Legacy", at),
        new KeyRegistry.KeyCreated("key_legacyactive00", tenant, "old", ApiKeys.sha256Hex(activeSecret), List.of(), at),
        new KeyRegistry.KeyCreated("key_legacyrevoked0", tenant, "old", ApiKeys.sha256Hex(revokedSecret), List.of(), at),
        new KeyRegistry.KeyRevoked(tenant, "key_legacyrevoked0", at.plusSeconds(60))), written.getRef()));
    written.receiveMessage(ASK);
    testKit.stop(writer);

    ActorRef<KeyRegistry.Command> registry = testKit.spawn(KeyRegistry.create(id));

    testKit.createTestProbe().awaitAssert(ASK, Duration.ofMillis(200), () -> {
      assertThat(store.byHash(ApiKeys.sha256Hex(activeSecret)).toCompletableFuture().get())
          .hasValueSatisfying(k -> assertThat(k.revoked()).isFalse());
      assertThat(store.byHash(ApiKeys.sha256Hex(revokedSecret)).toCompletableFuture().get())
          .hasValueSatisfying(k -> assertThat(k.revokedAt()).isEqualTo(at.plusSeconds(60)));
      return null;
    });
    KeyInfo copied = await(store.byHash(ApiKeys.sha256Hex(activeSecret))).orElseThrow();
    await(store.revoke(copied, Instant.now()));
    testKit.stop(registry);
    ActorRef<KeyRegistry.Command> recovered = testKit.spawn(KeyRegistry.create(id));
    await(AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(recovered,
        r -> new KeyRegistry.GetTenant(tenant, r), ASK, testKit.scheduler()));

    assertThat(await(store.byHash(ApiKeys.sha256Hex(activeSecret))).orElseThrow().revoked())
        .as("a later recovery never un-revokes").isTrue();
    assertThat(await(store.page(tenant, null, 10)).keys()).hasSize(2);
    testKit.stop(recovered);
  }

  /** Writes registry events the way an earlier version did, under a given persistence id. */
  static final class LegacyWriter extends EventSourcedBehavior<LegacyWriter.Write, KeyRegistry.Event, Integer> {
    record Write(List<KeyRegistry.Event> events, ActorRef<Done> replyTo) {}

    static Behavior<Write> create(PersistenceId id) {
      return new LegacyWriter(id);
    }

    private LegacyWriter(PersistenceId id) {
      super(id);
    }

    @Override
    public Integer emptyState() {
      return 0;
    }

    @Override
    public CommandHandler<Write, KeyRegistry.Event, Integer> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().onCommand(Write.class, (state, w) ->
          Effect().persist(w.events()).thenRun(s -> w.replyTo().tell(Done.getInstance()))).build();
    }

    @Override
    public EventHandler<Integer, KeyRegistry.Event> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + 1);
    }
  }
}
