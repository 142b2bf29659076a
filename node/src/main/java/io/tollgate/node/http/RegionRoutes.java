package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.region.HomeMover;
import io.tollgate.persistence.region.TenantHome;
import io.tollgate.persistence.region.TenantHomes;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's home region, for the global admin token only:
 *
 * <ul>
 *   <li>{@code GET /admin/tenants/{tenant}/home}: the home as stored, and where this node sends the
 *       tenant's budget requests now.
 *   <li>{@code POST /admin/tenants/{tenant}/home} with {@code {"region": "b"}}: moves the home
 *       ({@link HomeMover}); works while the old home region is down. Answers the new home,
 *       {@code moved} (false when it already was there), {@code from} and {@code fenced} (whether
 *       the old home confirmed that its entity stopped).
 * </ul>
 *
 * Errors use the OpenAI error shape: an unknown region or tenant id is a 400, a concurrent move a
 * 400 with code {@code home_changed}, Cassandra not answering a 503.
 */
public final class RegionRoutes extends AdminDirectives {
  private static final Logger log = LoggerFactory.getLogger(RegionRoutes.class);
  private static final long MAX_BODY_BYTES = 16 * 1024;

  private final BodyReader bodies;
  private final TenantHomes homes;
  private final HomeMover mover;

  /** Needs {@code TenantBudget.init(system)} to have run (it starts the homed entities and the home view). */
  public RegionRoutes(ActorSystem<?> system, String adminToken, BodyReader bodies) {
    super(system, adminToken);
    this.bodies = bodies;
    this.homes = TenantHomes.get(system);
    this.mover = HomeMover.create(system);
  }

  /** With a body reader of its own (16 KiB bodies). */
  public RegionRoutes(ActorSystem<?> system, String adminToken) {
    this(system, adminToken,
        new BodyReader(MAX_BODY_BYTES, org.apache.pekko.stream.Materializer.matFromSystem(system)));
  }

  public Route routes() {
    return pathPrefix("admin", () -> pathPrefix("tenants", () -> path(
        PathMatchers.segment().slash("home"), tenant -> concat(
            get(() -> admin(() -> home(tenant))),
            post(() -> admin(() -> withBody(bodies, body -> move(tenant, body))))))));
  }

  private Route home(String tenant) {
    Optional<GatewayException> bad = badTenant(tenant);
    if (bad.isPresent()) {
      return error(bad.get());
    }
    return whenDone(mover.read(tenant), failure -> storeFailure(tenant, failure), home -> complete(ok(render(home))));
  }

  private Route move(String tenant, JsonNode body) {
    Optional<GatewayException> bad = badTenant(tenant);
    if (bad.isPresent()) {
      return error(bad.get());
    }
    JsonNode region = body.get("region");
    if (region == null || !region.isTextual() || region.asText().isBlank()) {
      return error(GatewayException.invalid("region", "'region' is required: one of " + homes.settings().all() + "."));
    }
    return whenDone(mover.move(tenant, region.asText().strip()), failure -> moveFailure(tenant, failure), result -> {
      ObjectNode json = render(result.home())
          .put("moved", result.moved())
          .put("from", result.from())
          .put("fenced", result.fenced());
      return complete(ok(json));
    });
  }

  private ObjectNode render(TenantHome home) {
    ObjectNode json = JsonNodeFactory.instance.objectNode()
        .put("object", "tenant.home")
        .put("tenant_id", home.tenantId())
        .put("region", home.region())
        .put("settled", home.settled())
        .put("version", home.version());
    if (home.movedAt() != null) {
      json.put("moved_at", home.movedAt().toString());
    } else {
      json.putNull("moved_at");
    }
    if (home.movedFrom() != null) {
      json.put("moved_from", home.movedFrom());
    } else {
      json.putNull("moved_from");
    }
    json.put("default_home", homes.settings().defaultHome());
    json.put("served_from", homes.homeOf(home.tenantId()));
    json.put("node_region", homes.selfRegion());
    homes.settings().all().forEach(json.putArray("regions")::add);
    return json;
  }

  private static Optional<GatewayException> badTenant(String tenant) {
    return KeyRegistry.TENANT_ID.matcher(tenant).matches()
        ? Optional.empty()
        : Optional.of(GatewayException.invalid(null, "Invalid tenant id."));
  }

  private static GatewayException moveFailure(String tenant, Throwable failure) {
    Throwable cause = ErrorResponses.unwrap(failure);
    if (cause instanceof IllegalArgumentException) {
      return GatewayException.invalid("region", cause.getMessage() + ".");
    }
    if (cause instanceof IllegalStateException) {
      return new GatewayException(ErrorKind.INVALID_REQUEST, cause.getMessage() + ".", null, "home_changed");
    }
    return storeFailure(tenant, failure);
  }

  private static GatewayException storeFailure(String tenant, Throwable failure) {
    log.warn("tenant home of {}: {}", tenant, ErrorResponses.unwrap(failure).getClass().getSimpleName());
    return unavailable("The tenant home table did not answer; try again.");
  }
}
