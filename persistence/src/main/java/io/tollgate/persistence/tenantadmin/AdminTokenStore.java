package io.tollgate.persistence.tenantadmin;

import com.datastax.oss.driver.api.core.cql.Row;
import io.tollgate.persistence.audit.AuditSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Tenant admin tokens ({@code tga_...}): admin API tokens that may read one tenant's audit and
 * usage. Table {@code tenant_admin_tokens} holds the SHA-256 of each secret, never the secret.
 * Tokens are signed ({@link AdminTokenSigner}): a presented token whose tag does not verify is
 * refused without any lookup, so made-up tokens cost no Cassandra read and cannot evict real ones
 * from the cache. A token that verifies is still looked up (revocation deletes its row); lookups are
 * cached on the node for {@code tollgate.tenant-admin.cache-ttl} (default 10 s), so a revoked token
 * stops working on every node within that time (at once on the node that revoked it). Tokens issued
 * before tokens were signed are accepted (with a lookup) only while
 * {@code tollgate.tenant-admin.accept-unsigned-tokens} is on.
 */
public final class AdminTokenStore {
  /** Every tenant admin token starts with this. */
  public static final String PREFIX = "tga_";
  private static final int MAX_CACHED = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final int INSERT = 0;
  private static final int BY_HASH = 1;
  private static final int BY_TENANT = 2;
  private static final int DELETE = 3;

  private final TenantAdminCql cql;
  private final TtlCache<String, Optional<String>> tenantByHash;
  private final AdminTokenSigner signer;
  private final boolean acceptUnsigned;

  private AdminTokenStore(TenantAdminCql cql, Duration ttl, LongSupplier nanoClock, AdminTokenSigner signer,
      boolean acceptUnsigned) {
    this.cql = cql;
    this.tenantByHash = new TtlCache<>(ttl, MAX_CACHED, nanoClock);
    this.signer = signer;
    this.acceptUnsigned = acceptUnsigned;
  }

  /** The store on the audit's Cassandra session and keyspace. */
  public static AdminTokenStore create(ActorSystem<?> system) {
    return create(system, AuditSettings.from(system.settings().config()), TenantAdminCql.cacheTtl(system), System::nanoTime);
  }

  static AdminTokenStore create(ActorSystem<?> system, AuditSettings settings, Duration ttl, LongSupplier nanoClock) {
    TenantAdminCql cql = new TenantAdminCql(system, settings, List.of(
        "INSERT INTO ${keyspace}.tenant_admin_tokens (token_hash, tenant_id, token_id, name, created_at) VALUES (?, ?, ?, ?, ?)",
        "SELECT tenant_id FROM ${keyspace}.tenant_admin_tokens WHERE token_hash = ?",
        "SELECT token_hash, tenant_id, token_id, name, created_at FROM ${keyspace}.tenant_admin_tokens WHERE tenant_id = ?",
        "DELETE FROM ${keyspace}.tenant_admin_tokens WHERE token_hash = ?"));
    var config = system.settings().config();
    AdminTokenStore store = new AdminTokenStore(cql, ttl, nanoClock, AdminTokenSigner.from(config),
        config.getBoolean("tollgate.tenant-admin.accept-unsigned-tokens"));
    cql.statements();
    return store;
  }

  /** Completes when the tables exist and the statements are prepared. */
  public CompletionStage<Done> ready() {
    return cql.statements().thenApply(s -> Done.getInstance());
  }

  /** Creates a token for {@code tenantId}; the result carries the secret, shown this once. */
  public CompletionStage<CreatedAdminToken> create(String tenantId, String name) {
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    AdminToken info = new AdminToken("tat_" + HexFormat.of().formatHex(idBytes), tenantId, name,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String secret = signer.issue(tenantId, info.tokenId());
    String hash = hash(secret);
    return cql.statement(INSERT)
        .thenCompose(p -> cql.session.executeWrite(cql.consistent(
            p.bind(hash, tenantId, info.tokenId(), name, info.createdAt()))))
        .thenApply(done -> {
          tenantByHash.put(hash, Optional.of(tenantId));
          return new CreatedAdminToken(info, secret);
        });
  }

  /**
   * The tenant a presented secret belongs to; empty when it is no (or no longer a) tenant admin
   * token. A secret this cluster did not sign is refused at once, without a lookup; a signed one is
   * answered from the node's cache when it can, else from the token table.
   */
  public CompletionStage<Optional<String>> tenantOf(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return NONE;
    }
    Optional<AdminTokenSigner.Claims> claims = signer.verify(secret);
    if (claims.isEmpty() && !(acceptUnsigned && AdminTokenSigner.unsignedShape(secret))) {
      return NONE;
    }
    return tenantByHash.get(hash(secret), h -> cql.statement(BY_HASH)
        .thenCompose(p -> cql.session.selectOne(cql.consistent(p.bind(h))))
        .thenApply(row -> row.map(r -> r.getString("tenant_id"))
            // a signed token's row must agree with what it claims
            .filter(tenant -> claims.map(c -> c.tenantId().equals(tenant)).orElse(true))));
  }

  private static final CompletionStage<Optional<String>> NONE = CompletableFuture.completedFuture(Optional.empty());

  /** A tenant's tokens (without secrets). */
  public CompletionStage<List<AdminToken>> list(String tenantId) {
    return rows(tenantId).thenApply(rows -> rows.stream().map(AdminTokenStore::info).toList());
  }

  /** Revokes one of a tenant's tokens; false when the tenant has no such token. */
  public CompletionStage<Boolean> revoke(String tenantId, String tokenId) {
    return rows(tenantId).thenCompose(rows -> {
      Optional<Row> row = rows.stream().filter(r -> tokenId.equals(r.getString("token_id"))).findFirst();
      if (row.isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      String hash = row.get().getString("token_hash");
      return cql.statement(DELETE)
          .thenCompose(p -> cql.session.executeWrite(cql.consistent(p.bind(hash))))
          .thenApply(done -> {
            tenantByHash.invalidate(hash);
            return true;
          });
    });
  }

  private CompletionStage<List<Row>> rows(String tenantId) {
    return cql.statement(BY_TENANT).thenCompose(p -> cql.session.selectAll(cql.consistent(p.bind(tenantId))));
  }

  private static AdminToken info(Row r) {
    return new AdminToken(r.getString("token_id"), r.getString("tenant_id"), r.getString("name"), r.getInstant("created_at"));
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
