package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import io.tollgate.persistence.region.RegionalSharding;
import io.tollgate.persistence.region.TenantHomes;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The tenant registry: the source of truth for which tenants exist. Event-sourced, so its journal
 * is the tenants' history. There is one entity for all tenants, with id {@value #GLOBAL_ID}.
 *
 * <p>API keys no longer live here: they are partitioned per tenant in Cassandra ({@link KeyStore},
 * written through {@link KeyAdmin}) and cached per node ({@link KeyDirectory}). Journals written
 * before that still hold {@link KeyCreated} and {@link KeyRevoked} events: after recovering such a
 * journal the entity copies those keys into the key tables once (revocations included; a copy
 * never un-revokes) and records {@link LegacyKeysMoved}, after which its state holds no keys.
 */
public final class KeyRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<KeyRegistry.Command, KeyRegistry.Event, KeyRegistry.State> {

  /** Frozen: the name is part of every persisted id. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "KeyRegistry");
  /** The id of the one registry entity. */
  public static final String GLOBAL_ID = "global";
  /** Valid tenant ids: lower-case letters, digits and dashes, starting with a letter or digit. */
  public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  static final int MAX_NAME_LENGTH = 200;
  private static final int SNAPSHOT_EVERY = 100;
  /** Upper bound of a page reply's serialized size, well inside Artery's 256 KiB frame. */
  static final int PAGE_BYTES = 128 * 1024;

  // ---- commands ----

  /** Messages the registry accepts. */
  public sealed interface Command extends CborSerializable
      permits CreateTenant, GetTenant, ListTenants, ListTenantsPage, LegacyKeysCopied, LegacyKeysCopyFailed {}

  /** Create a tenant; an existing id is refused. */
  public record CreateTenant(String tenantId, String name, ActorRef<StatusReply<TenantInfo>> replyTo)
      implements Command {}

  /** The tenant, or an "unknown tenant" error. */
  public record GetTenant(String tenantId, ActorRef<StatusReply<TenantInfo>> replyTo) implements Command {}

  /** All tenants, by id (one message: use {@link ListTenantsPage} where there may be thousands). */
  public record ListTenants(ActorRef<StatusReply<List<TenantInfo>>> replyTo) implements Command {}

  /**
   * Tenants by id, from the first after {@code after} (null: from the first of all): at most
   * {@code limit}, and fewer when more would not fit in {@link #PAGE_BYTES}, so the reply always
   * fits one remoting frame.
   */
  public record ListTenantsPage(String after, int limit, ActorRef<StatusReply<TenantPage>> replyTo)
      implements Command {}

  /** Internal: the legacy keys of the journal are in the key tables now. */
  record LegacyKeysCopied(int count) implements Command {}

  /** Internal: copying the legacy keys failed; the next recovery tries again. */
  record LegacyKeysCopyFailed(String reason) implements Command {}

  // ---- events (a frozen schema: see the golden-bytes test) ----

  /** What the journal holds. */
  public sealed interface Event extends CborSerializable
      permits TenantCreated, KeyCreated, KeyRevoked, LegacyKeysMoved {}

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

  /** The keys of earlier events were copied to the key tables ({@link KeyStore}); the state drops them. */
  public record LegacyKeysMoved(int count, Instant movedAt) implements Event {}

  // ---- state ----

  /**
   * The registry: tenants by id, and the keys of legacy events by key id until they are moved.
   * {@code version} counts every persisted change; {@code keyVersion} is the version of the latest
   * legacy key change.
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

    List<TenantInfo> tenantList() {
      return tenants.values().stream().sorted(Comparator.comparing(TenantInfo::tenantId)).toList();
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
      } else if (event instanceof LegacyKeysMoved) {
        return new State(version + 1, keyVersion, tenants, Map.of());
      }
      throw new IllegalStateException("unknown event " + event.getClass().getName());
    }
  }

  // ---- wiring ----

  /**
   * Starts sharding for the registry on this node (idempotent). With several regions the registry
   * runs in the primary region ({@code tollgate.regions.primary}) only; other regions reach it
   * through a sharding proxy. Key lookups never need it; creating keys for a tenant a node has not
   * seen yet waits for it.
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

  private final ActorContext<Command> ctx;

  private KeyRegistry(PersistenceId persistenceId, ActorContext<Command> ctx) {
    super(persistenceId);
    this.ctx = ctx;
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
        .onCommand(GetTenant.class, this::onGetTenant)
        .onCommand(ListTenants.class, this::onListTenants)
        .onCommand(ListTenantsPage.class, this::onListTenantsPage)
        .onCommand(LegacyKeysCopied.class, this::onLegacyKeysCopied)
        .onCommand(LegacyKeysCopyFailed.class, this::onLegacyKeysCopyFailed)
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::copyLegacyKeys).build();
  }

  private void copyLegacyKeys(State state) {
    if (state.keys().isEmpty()) {
      return;
    }
    List<KeyInfo> keys = List.copyOf(state.keys().values());
    ctx.getLog().info("copying {} keys of the registry's journal to the key tables", keys.size());
    ctx.pipeToSelf(KeyStore.create(ctx.getSystem()).importLegacy(keys), (done, failure) -> failure == null
        ? new LegacyKeysCopied(keys.size()) : new LegacyKeysCopyFailed(failure.toString()));
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

  private ReplyEffect<Event, State> onGetTenant(State state, GetTenant cmd) {
    TenantInfo tenant = cmd.tenantId() == null ? null : state.tenants().get(cmd.tenantId());
    return Effect().reply(cmd.replyTo(), tenant == null
        ? StatusReply.error("unknown tenant " + cmd.tenantId()) : StatusReply.success(tenant));
  }

  private ReplyEffect<Event, State> onListTenants(State state, ListTenants cmd) {
    return Effect().reply(cmd.replyTo(), StatusReply.success(new TenantInfoList(state.tenantList())));
  }

  private ReplyEffect<Event, State> onListTenantsPage(State state, ListTenantsPage cmd) {
    List<TenantInfo> page = new java.util.ArrayList<>();
    int bytes = 0;
    boolean more = false;
    for (TenantInfo t : state.tenantList()) {
      if (cmd.after() != null && t.tenantId().compareTo(cmd.after()) <= 0) {
        continue;
      }
      // CBOR: the strings (a name's characters at most 3 bytes each), the instant and field names
      int size = t.tenantId().length() + 3 * t.name().length() + 96;
      if (page.size() >= Math.max(1, cmd.limit()) || (!page.isEmpty() && bytes + size > PAGE_BYTES)) {
        more = true;
        break;
      }
      page.add(t);
      bytes += size;
    }
    return Effect().reply(cmd.replyTo(), StatusReply.success(new TenantPage(page, more)));
  }

  private ReplyEffect<Event, State> onLegacyKeysCopied(State state, LegacyKeysCopied cmd) {
    if (state.keys().isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(new LegacyKeysMoved(cmd.count(), Instant.now())).thenNoReply();
  }

  private ReplyEffect<Event, State> onLegacyKeysCopyFailed(State state, LegacyKeysCopyFailed cmd) {
    ctx.getLog().warn("could not copy the registry's legacy keys to the key tables ({}); the next recovery "
        + "tries again", cmd.reason());
    return Effect().noReply();
  }

  private static boolean validName(String name) {
    return name != null && !name.isBlank() && name.strip().length() <= MAX_NAME_LENGTH;
  }

  private static String nameError(String what) {
    return what + " name must be 1 to " + MAX_NAME_LENGTH + " characters";
  }
}
