package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.audit.AdminAuth;
import io.tollgate.node.http.audit.AdminPrincipal;
import io.tollgate.node.http.audit.AuditParams;
import io.tollgate.node.http.audit.Csv;
import io.tollgate.node.http.audit.PageTokens;
import io.tollgate.node.http.audit.UsageRollup;
import io.tollgate.persistence.audit.AuditCursor;
import io.tollgate.persistence.audit.AuditFilter;
import io.tollgate.persistence.audit.AuditRange;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.tenantadmin.AdminToken;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.CreatedAdminToken;
import io.tollgate.persistence.tenantadmin.TenantSettings;
import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's audit part, for FinOps and SREs, under {@code /admin/tenants/{tenant}/}:
 *
 * <ul>
 *   <li>{@code GET audit}: records, newest first, over a day or a {@code from}/{@code to} range,
 *       filtered by {@code key}, {@code model}, {@code team}, {@code status}; paged with
 *       {@code limit} (default 100, at most 1000) and {@code page_token}. {@code format=csv}
 *       streams every matching record (from {@code page_token}, up to {@code limit} if given) as
 *       CSV with the JSON's fields. See {@link AuditParams}.
 *   <li>{@code GET audit/{request_id}?day=}: one record with its stored bodies, if any.
 *   <li>{@code GET usage}: requests, tokens and cost per {@code period} (day or month) and
 *       {@code group_by} (key, model, team), same range and filters; {@code format=csv}.
 *   <li>{@code POST|GET admin-tokens}, {@code DELETE admin-tokens/{token_id}}: tenant admin tokens.
 *   <li>{@code GET|PUT settings}: {@code {"store_bodies": true}} opts the tenant in to storing bodies.
 * </ul>
 *
 * Callers: the global admin token may do everything; a tenant admin token ({@code tga_...})
 * may only read its own tenant's audit, usage and settings (403 for anything else, before any
 * data is read). Errors use the OpenAI error shape. With no admin token configured: 404.
 */
public final class AuditRoutes extends AdminDirectives {
  private static final Logger log = LoggerFactory.getLogger(AuditRoutes.class);
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final int MAX_CSV_ROWS = 10_000_000;
  private static final long MAX_ADMIN_BODY_BYTES = 16 * 1024;
  private static final ContentType.NonBinary CSV = MediaTypes.TEXT_CSV.toContentType(HttpCharsets.UTF_8);

  private final ActorSystem<?> system;
  private final AuditStore audit;
  private final AdminAuth auth;
  private final AdminTokenStore tokens;
  private final TenantSettingsStore tenantSettings;
  private final PageTokens pageTokens;
  private final BodyReader bodies;
  private final Clock clock;

  public AuditRoutes(ActorSystem<?> system, AuditStore audit, String adminToken, AdminTokenStore tokens,
      TenantSettingsStore tenantSettings) {
    this(system, audit, adminToken, tokens, tenantSettings, Clock.systemUTC());
  }

  AuditRoutes(ActorSystem<?> system, AuditStore audit, String adminToken, AdminTokenStore tokens,
      TenantSettingsStore tenantSettings, Clock clock) {
    super(system, adminToken);
    this.system = system;
    this.audit = audit;
    this.auth = new AdminAuth(adminToken, tokens);
    this.tokens = tokens;
    this.tenantSettings = tenantSettings;
    this.pageTokens = new PageTokens(adminToken);
    this.bodies = new BodyReader(MAX_ADMIN_BODY_BYTES, Materializer.matFromSystem(system));
    this.clock = clock;
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), tenant ->
        answeringGatewayErrors(() -> concat(
            pathPrefix("audit", () -> concat(
                pathEndOrSingleSlash(() -> get(() -> reader(tenant, p -> parameterMap(q -> records(tenant, q))))),
                path(PathMatchers.segment(), id -> get(() -> reader(tenant, p -> parameterMap(q -> record(tenant, id, q))))))),
            path("usage", () -> get(() -> reader(tenant, p -> parameterMap(q -> usage(tenant, q))))),
            pathPrefix("admin-tokens", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                    post(() -> globalAdmin(tenant, () -> withOptionalBody(bodies, body -> createToken(tenant, body)))),
                    get(() -> globalAdmin(tenant, () -> listTokens(tenant))))),
                path(PathMatchers.segment(), tokenId -> delete(() -> globalAdmin(tenant, () -> revokeToken(tenant, tokenId)))))),
            path("settings", () -> concat(
                get(() -> reader(tenant, p -> settings(tenant))),
                put(() -> globalAdmin(tenant, () -> withOptionalBody(bodies, body -> updateSettings(tenant, body)))))))))));
  }

  // --- who may call ---------------------------------------------------------------------------

  /** The global admin, or a tenant admin of {@code tenant}. */
  private Route reader(String tenant, Function<AdminPrincipal, Route> inner) {
    return tenantAdmin(auth, tenant, false, inner);
  }

  private Route globalAdmin(String tenant, java.util.function.Supplier<Route> inner) {
    return tenantAdmin(auth, tenant, true, p -> inner.get());
  }

  // --- audit records --------------------------------------------------------------------------

  private Route records(String tenant, Map<String, String> q) {
    AuditRange range = AuditParams.range(q, clock.instant());
    AuditFilter filter = AuditParams.filter(q);
    boolean csv = AuditParams.csv(q);
    String token = q.get("page_token");
    AuditCursor after = token == null || token.isBlank() ? null : pageTokens.decode(token.trim(), tenant, filter.fingerprint());
    if (csv) {
      int limit = AuditParams.limit(q, MAX_CSV_ROWS, MAX_CSV_ROWS);
      Source<ByteString, NotUsed> lines = Source.single(Csv.header(AuditJson.FIELDS))
          .concat(audit.records(tenant, range, filter, after).take(limit)
              .map(r -> Csv.row(AuditJson.of(r), AuditJson.FIELDS)))
          .map(ByteString::fromString);
      return complete(HttpResponse.create()
          .withEntity(HttpEntities.createChunked(CSV, lines))
          .addHeader(attachment("audit", tenant, range)));
    }
    int limit = AuditParams.limit(q, DEFAULT_PAGE, MAX_PAGE);
    return answer(audit.page(tenant, range, filter, after, limit), page -> {
      ArrayNode data = JsonNodeFactory.instance.arrayNode();
      page.records().forEach(r -> data.add(AuditJson.of(r)));
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("object", "list");
      o.set("data", data);
      o.put("has_more", page.next() != null);
      o.put("next_page_token", page.next() == null ? null : pageTokens.encode(tenant, filter.fingerprint(), page.next()));
      return json(StatusCodes.OK, o);
    });
  }

  private Route record(String tenant, String requestId, Map<String, String> q) {
    LocalDate day = q.containsKey("day")
        ? AuditParams.range(Map.of("day", q.get("day")), clock.instant()).firstDay()
        : LocalDate.now(clock.withZone(ZoneOffset.UTC));
    var found = audit.byRequestId(tenant, day, requestId)
        .thenCombine(audit.bodies(tenant, day, requestId), (r, b) -> r.map(x -> AuditJson.withBodies(x, b.orElse(null))));
    return answer(found, o -> o
        .map(x -> json(StatusCodes.OK, x))
        .orElseGet(() -> ErrorResponses.of(ClientApi.OPENAI, new GatewayException(ErrorKind.NOT_FOUND,
            "No audit record " + requestId + " on " + day + "."))));
  }

  // --- usage ----------------------------------------------------------------------------------

  private Route usage(String tenant, Map<String, String> q) {
    AuditRange range = AuditParams.range(q, clock.instant());
    AuditFilter filter = AuditParams.filter(q);
    UsageRollup.Period period = UsageRollup.Period.parse(q.get("period"));
    List<UsageRollup.Dimension> groupBy = UsageRollup.Dimension.parse(q.get("group_by"));
    boolean csv = AuditParams.csv(q);
    CompletionStage<UsageRollup> rollup = audit.records(tenant, range, filter, null)
        .runFold(new UsageRollup(tenant, period, groupBy), UsageRollup::add, system);
    return answer(rollup, r -> {
      if (csv) {
        StringBuilder b = new StringBuilder(Csv.header(r.columns()));
        r.rows().forEach(row -> b.append(Csv.row(row, r.columns())));
        return HttpResponse.create().withEntity(HttpEntities.create(CSV, b.toString()))
            .addHeader(attachment("usage", tenant, range));
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode()
          .put("object", "list")
          .put("tenant_id", tenant)
          .put("from", range.from().toString())
          .put("to", range.to().toString())
          .put("period", period.name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode dims = o.putArray("group_by");
      groupBy.forEach(d -> dims.add(d.name().toLowerCase(java.util.Locale.ROOT)));
      ArrayNode data = o.putArray("data");
      r.rows().forEach(data::add);
      o.set("total", r.total());
      return json(StatusCodes.OK, o);
    });
  }

  // --- tenant admin tokens and settings -------------------------------------------------------

  private Route createToken(String tenant, JsonNode body) {
    JsonNode name = body.path("name");
    if (!name.isMissingNode() && !name.isNull() && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 100)) {
      throw GatewayException.invalid("name", "'name' must be a non-empty string of at most 100 characters.");
    }
    String n = name.isTextual() ? name.asText() : "default";
    return answer(tokens.create(tenant, n), created -> json(StatusCodes.CREATED, tokenJson(created)));
  }

  private Route listTokens(String tenant) {
    return answer(tokens.list(tenant), list -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("object", "list");
      ArrayNode data = o.putArray("data");
      list.forEach(t -> data.add(tokenJson(t)));
      return json(StatusCodes.OK, o);
    });
  }

  private Route revokeToken(String tenant, String tokenId) {
    return answer(tokens.revoke(tenant, tokenId), revoked -> revoked
        ? json(StatusCodes.OK, JsonNodeFactory.instance.objectNode().put("token_id", tokenId).put("revoked", true))
        : ErrorResponses.of(ClientApi.OPENAI, new GatewayException(ErrorKind.NOT_FOUND,
            "Tenant " + tenant + " has no admin token " + tokenId + ".")));
  }

  private Route settings(String tenant) {
    return answer(tenantSettings.get(tenant), s -> json(StatusCodes.OK, settingsJson(s)));
  }

  private Route updateSettings(String tenant, JsonNode body) {
    JsonNode storeBodies = body.get("store_bodies");
    if (storeBodies == null || !storeBodies.isBoolean()) {
      throw GatewayException.invalid("store_bodies", "'store_bodies' is required and must be true or false.");
    }
    return answer(tenantSettings.update(tenant, storeBodies.asBoolean()), s -> json(StatusCodes.OK, settingsJson(s)));
  }

  private static ObjectNode tokenJson(AdminToken t) {
    return JsonNodeFactory.instance.objectNode()
        .put("token_id", t.tokenId())
        .put("tenant_id", t.tenantId())
        .put("name", t.name())
        .put("created_at", t.createdAt() == null ? null : t.createdAt().toString());
  }

  private static ObjectNode tokenJson(CreatedAdminToken created) {
    return tokenJson(created.info()).put("token", created.secret());
  }

  private static ObjectNode settingsJson(TenantSettings s) {
    return JsonNodeFactory.instance.objectNode()
        .put("tenant_id", s.tenantId())
        .put("store_bodies", s.storeBodies())
        .put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** Completes with {@code render}'s response, or 503 when the store failed (logged without details). */
  private <T> Route answer(CompletionStage<T> result, Function<T, HttpResponse> render) {
    return whenDone(result, AuditRoutes::storeFailure, value -> complete(render.apply(value)));
  }

  private static GatewayException storeFailure(Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof GatewayException g) {
      return g;
    }
    log.warn("audit admin query failed: {}: {}", cause.getClass().getSimpleName(), cause.getMessage());
    return unavailable("The audit store did not answer; try again.");
  }

  private static RawHeader attachment(String what, String tenant, AuditRange range) {
    String name = what + "-" + tenant.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + range.firstDay() + "-" + range.lastDay() + ".csv";
    return RawHeader.create("Content-Disposition", "attachment; filename=\"" + name + "\"");
  }
}
