package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import io.tollgate.persistence.region.RegionalSharding;
import io.tollgate.persistence.region.TenantHomes;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The tenant and API-key registry: the source of truth for which keys exist, whom they belong to
 * and whether they are revoked. Event-sourced, so its journal is the admin history.
 *
 * <p>There is a single registry entity for all tenants for now, with id {@value #GLOBAL_ID}; it
 * is small (one record per key) and changes rarely, and nodes never ask it on the request path:
 * each node keeps a {@link KeyDirectory} copy. Splitting it per tenant later needs only a new
 * entity id scheme and a directory that merges several snapshots.
 *
 * <p>After a key is created or revoked, the entity publishes a {@link RegistryUpdate} on the
 * typed pub-sub topic {@value #TOPIC_NAME}, through the {@link Topic} actor of the node it runs on
 * ({@link RegistryTopic}, one per node, found as an extension). The topic actors of all nodes find
 * each other through the receptionist, so wherever sharding places the entity, its updates reach
 * the {@link KeyDirectory} on every node.
 *
 * <p>Secrets never reach the journal: the command handler generates the secret, the event holds
 * only its SHA-256, and the secret goes back once in the {@link CreatedKey} reply.
 */
public final class KeyRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<KeyRegistry.Command, KeyRegistry.Event, KeyRegistry.State> {

  /** Frozen: the name is part of every persisted id. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "KeyRegistry");
  /** The id of the one registry entity. */
  public static final String GLOBAL_ID = "global";
  /** The pub-sub topic carrying {@link RegistryUpdate}s. */
  public static final String TOPIC_NAME = "tollgate-key-registry";
  /** Valid tenant ids: lower-case letters, digits and dashes, starting with a letter or digit. */
  public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  static final int MAX_NAME_LENGTH = 200;
  private static final int SNAPSHOT_EVERY = 100;

  // ---- commands ----

  /** Messages the registry accepts. */
  public sealed interface Command extends CborSerializable
      permits CreateTenant, CreateKey, RevokeKey, ListKeys, ListTenants, GetSnapshot {}

  /** Create a tenant; an existing id is refused. */
  public record CreateTenant(String tenantId, String name, ActorRef<StatusReply<TenantInfo>> replyTo)
      implements Command {}

  /**
   * Create a key for an existing tenant.
   *
   * @param allowedModels logical models the key may use; empty (or null) means all
   * @param presetSecret null to generate a secret; otherwise use exactly this one (for
   *     {@code TOLLGATE_DEMO_KEY}): it must start with {@code tg_} and be at least 20 characters.
   *     If a key with this secret exists already for the tenant, the reply is that key.
   * @param team the key's team (its team budgets apply); null or blank for none
   */
  public record CreateKey(
      String tenantId,
      String name,
      List<String> allowedModels,
      String presetSecret,
      String team,
      ActorRef<StatusReply<CreatedKey>> replyTo)
      implements Command {

    /** A key without a team. */
    public CreateKey(
        String tenantId,
        String name,
        List<String> allowedModels,
        String presetSecret,
        ActorRef<StatusReply<CreatedKey>> replyTo) {
      this(tenantId, name, allowedModels, presetSecret, null, replyTo);
    }

    @Override
    public String toString() {
      return "CreateKey[tenantId=" + tenantId + ", name=" + name + ", allowedModels=" + allowedModels
          + ", presetSecret=" + (presetSecret == null ? "null" : "***") + ", team=" + team
          + ", replyTo=" + replyTo + "]";
    }
  }

  /** Revoke a key; revoking a revoked key answers with it unchanged. */
  public record RevokeKey(String tenantId, String keyId, ActorRef<StatusReply<KeyInfo>> replyTo)
      implements Command {}

  /** A tenant's keys (active and revoked), oldest first. Never contains secrets. */
  public record ListKeys(String tenantId, ActorRef<StatusReply<List<KeyInfo>>> replyTo) implements Command {}

  /** All tenants, by id. */
  public record ListTenants(ActorRef<StatusReply<List<TenantInfo>>> replyTo) implements Command {}

  /** Every key by hash, with the registry version: what a {@link KeyDirectory} loads. */
  public record GetSnapshot(ActorRef<RegistrySnapshot> replyTo) implements Command {}

  // ---- events (a frozen schema: see the golden-bytes test) ----

  /** What the journal holds. */
  public sealed interface Event extends CborSerializable permits TenantCreated, KeyCreated, KeyRevoked {}

  public record TenantCreated(String tenantId, String name, Instant createdAt) implements Event {}

  /**
   * A key was created; {@code keyHash} is the SHA-256 of its secret, which is not stored.
   * {@code team} was added in 0.2.0: events written before read it as null.
   */
  public record KeyCreated(
      String keyId,
      String tenantId,
      String name,
      String keyHash,
      List<String> allowedModels,
      Instant createdAt,
      String team)
      implements Event {

    /** A key without a team. */
    public KeyCreated(
        String keyId, String tenantId, String name, String keyHash, List<String> allowedModels, Instant createdAt) {
      this(keyId, tenantId, name, keyHash, allowedModels, createdAt, null);
    }
  }

  public record KeyRevoked(String tenantId, String keyId, Instant revokedAt) implements Event {}

  // ---- state ----

  /**
   * The registry: tenants by id, keys by key id. {@code version} counts every persisted change;
   * {@code keyVersion} is the version of the latest key change.
   */
  public record State(long version, long keyVersion, Map<String, TenantInfo> tenants, Map<String, KeyInfo> keys)
      implements CborSerializable {

    public State {
      tenants = Map.copyOf(tenants);
      keys = Map.copyOf(keys);
    }

    public static State empty() {
      return new State(0, 0, Map.of(), Map.of());
    }

    boolean hasTenant(String tenantId) {
      return tenants.containsKey(tenantId);
    }

    Optional<KeyInfo> keyByHash(String keyHash) {
      return keys.values().stream().filter(k -> k.keyHash().equals(keyHash)).findFirst();
    }

    Optional<KeyInfo> key(String tenantId, String keyId) {
      if (keyId == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(keys.get(keyId)).filter(k -> k.tenantId().equals(tenantId));
    }

    List<KeyInfo> keysOf(String tenantId) {
      return keys.values().stream()
          .filter(k -> k.tenantId().equals(tenantId))
          .sorted(Comparator.comparing(KeyInfo::createdAt).thenComparing(KeyInfo::keyId))
          .toList();
    }

    List<TenantInfo> tenantList() {
      return tenants.values().stream().sorted(Comparator.comparing(TenantInfo::tenantId)).toList();
    }

    RegistrySnapshot snapshot() {
      Map<String, KeyInfo> byHash = new HashMap<>();
      keys.values().forEach(k -> byHash.put(k.keyHash(), k));
      return new RegistrySnapshot(version, byHash);
    }

    State withTenant(TenantInfo tenant) {
      Map<String, TenantInfo> next = new HashMap<>(tenants);
      next.put(tenant.tenantId(), tenant);
      return new State(version + 1, keyVersion, next, keys);
    }

    State withKey(KeyInfo key) {
      Map<String, KeyInfo> next = new HashMap<>(keys);
      next.put(key.keyId(), key);
      return new State(version + 1, version + 1, tenants, next);
    }

    State apply(Event event) {
      if (event instanceof TenantCreated e) {
        return withTenant(new TenantInfo(e.tenantId(), e.name(), e.createdAt()));
      } else if (event instanceof KeyCreated e) {
        return withKey(new KeyInfo(e.keyId(), e.tenantId(), e.name(), e.keyHash(), e.allowedModels(), false,
            e.createdAt(), null, e.team()));
      } else if (event instanceof KeyRevoked e) {
        KeyInfo key = keys.get(e.keyId());
        // A revocation always follows its creation in the journal; tolerate a missing key anyway.
        return key == null ? new State(version + 1, keyVersion, tenants, keys) : withKey(key.revoke(e.revokedAt()));
      }
      throw new IllegalStateException("unknown event " + event.getClass().getName());
    }
  }

  // ---- wiring ----

  /**
   * Starts sharding for the registry on this node (idempotent). With several regions the registry
   * runs in the primary region ({@code tollgate.regions.primary}) only; other regions reach it
   * through a sharding proxy. Key lookups never need it: every node's {@link KeyDirectory} is fed by
   * pub-sub, which spans regions, so only key changes stop while the primary region is away.
   */
  public static void init(ActorSystem<?> system) {
    RegionalSharding.initIn(system, TenantHomes.get(system).settings().primary(),
        Entity.of(ENTITY_KEY, ctx -> create(PersistenceId.of(ENTITY_KEY.name(), ctx.getEntityId()))));
  }

  /** The registry entity (there is one, {@value #GLOBAL_ID}), in the primary region; {@link #init} must have run. */
  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return RegionalSharding.refIn(system, TenantHomes.get(system).settings().primary(), ENTITY_KEY, GLOBAL_ID);
  }

  /** The entity behaviour, also used directly by tests. */
  public static Behavior<Command> create(PersistenceId persistenceId) {
    return Behaviors.setup(ctx -> new KeyRegistry(persistenceId, ctx));
  }

  private final ActorRef<Topic.Command<RegistryUpdate>> topic;

  private KeyRegistry(PersistenceId persistenceId, ActorContext<Command> ctx) {
    super(persistenceId);
    this.topic = RegistryTopic.get(ctx.getSystem());
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(CreateTenant.class, this::onCreateTenant)
        .onCommand(CreateKey.class, this::onCreateKey)
        .onCommand(RevokeKey.class, this::onRevokeKey)
        .onCommand(ListKeys.class, this::onListKeys)
        .onCommand(ListTenants.class, this::onListTenants)
        .onCommand(GetSnapshot.class, this::onGetSnapshot)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  private ReplyEffect<Event, State> onCreateTenant(State state, CreateTenant cmd) {
    if (cmd.tenantId() == null || !TENANT_ID.matcher(cmd.tenantId()).matches()) {
      return Effect().reply(cmd.replyTo(),
          StatusReply.error("tenant id must match " + TENANT_ID.pattern()));
    }
    if (!validName(cmd.name())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(nameError("tenant")));
    }
    if (state.hasTenant(cmd.tenantId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("tenant " + cmd.tenantId() + " already exists"));
    }
    TenantCreated event = new TenantCreated(cmd.tenantId(), cmd.name().strip(), Instant.now());
    return Effect().persist(event)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.tenants().get(cmd.tenantId())));
  }

  private ReplyEffect<Event, State> onCreateKey(State state, CreateKey cmd) {
    if (cmd.tenantId() == null || !state.hasTenant(cmd.tenantId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown tenant " + cmd.tenantId()));
    }
    if (!validName(cmd.name())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(nameError("key")));
    }
    String team = cmd.team() == null || cmd.team().isBlank() ? null : cmd.team().strip();
    if (team != null && team.length() > MAX_NAME_LENGTH) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("team must be at most " + MAX_NAME_LENGTH + " characters"));
    }
    List<String> models = cmd.allowedModels() == null ? List.of() : cmd.allowedModels();
    if (models.stream().anyMatch(m -> m == null || m.isBlank())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("allowed models must not be blank"));
    }
    String secret;
    if (cmd.presetSecret() != null) {
      if (!ApiKeys.isValidPresetSecret(cmd.presetSecret())) {
        return Effect().reply(cmd.replyTo(), StatusReply.error("a preset secret must start with "
            + ApiKeys.SECRET_PREFIX + " and be at least " + ApiKeys.MIN_SECRET_LENGTH + " characters"));
      }
      secret = cmd.presetSecret();
      Optional<KeyInfo> existing = state.keyByHash(ApiKeys.sha256Hex(secret));
      if (existing.isPresent()) {
        if (!existing.get().tenantId().equals(cmd.tenantId())) {
          return Effect().reply(cmd.replyTo(), StatusReply.error("this secret is already in use"));
        }
        return Effect().reply(cmd.replyTo(), StatusReply.success(new CreatedKey(existing.get(), secret)));
      }
    } else {
      secret = ApiKeys.newSecret();
    }
    KeyCreated event = new KeyCreated(ApiKeys.newKeyId(), cmd.tenantId(), cmd.name().strip(),
        ApiKeys.sha256Hex(secret), models.stream().map(String::strip).distinct().toList(), Instant.now(), team);
    long previousKeyVersion = state.keyVersion();
    return Effect().persist(event)
        .thenRun(s -> publish(s, event.keyId(), previousKeyVersion))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new CreatedKey(s.keys().get(event.keyId()), secret)));
  }

  private ReplyEffect<Event, State> onRevokeKey(State state, RevokeKey cmd) {
    if (cmd.tenantId() == null || !state.hasTenant(cmd.tenantId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown tenant " + cmd.tenantId()));
    }
    Optional<KeyInfo> key = state.key(cmd.tenantId(), cmd.keyId());
    if (key.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key " + cmd.keyId()));
    }
    if (key.get().revoked()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(key.get()));
    }
    long previousKeyVersion = state.keyVersion();
    return Effect().persist(new KeyRevoked(cmd.tenantId(), cmd.keyId(), Instant.now()))
        .thenRun(s -> publish(s, cmd.keyId(), previousKeyVersion))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.keys().get(cmd.keyId())));
  }

  private ReplyEffect<Event, State> onListKeys(State state, ListKeys cmd) {
    if (cmd.tenantId() == null || !state.hasTenant(cmd.tenantId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown tenant " + cmd.tenantId()));
    }
    return Effect().reply(cmd.replyTo(), StatusReply.success(new KeyInfoList(state.keysOf(cmd.tenantId()))));
  }

  private ReplyEffect<Event, State> onListTenants(State state, ListTenants cmd) {
    return Effect().reply(cmd.replyTo(), StatusReply.success(new TenantInfoList(state.tenantList())));
  }

  private ReplyEffect<Event, State> onGetSnapshot(State state, GetSnapshot cmd) {
    return Effect().reply(cmd.replyTo(), state.snapshot());
  }

  private void publish(State state, String keyId, long previousKeyVersion) {
    topic.tell(Topic.publish(new RegistryUpdate(state.version(), state.keys().get(keyId), previousKeyVersion)));
  }

  private static boolean validName(String name) {
    return name != null && !name.isBlank() && name.strip().length() <= MAX_NAME_LENGTH;
  }

  private static String nameError(String what) {
    return what + " name must be 1 to " + MAX_NAME_LENGTH + " characters";
  }
}
