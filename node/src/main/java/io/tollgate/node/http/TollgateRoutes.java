package io.tollgate.node.http;

import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All routes of a node. Anything no route serves, and any unexpected exception, still answers in
 * the client API's error shape with a request id.
 */
public final class TollgateRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(TollgateRoutes.class);
  private final ApiRoutes api;
  private final AuditRoutes audit;
  private final BudgetRoutes budget;
  private final ClusterRoutes cluster;
  private final AdminRoutes admin;
  private final HealthRoutes health;

  public TollgateRoutes(ApiRoutes api, AuditRoutes audit, BudgetRoutes budget, ClusterRoutes cluster, AdminRoutes admin,
      HealthRoutes health) {
    this.api = api;
    this.audit = audit;
    this.budget = budget;
    this.cluster = cluster;
    this.admin = admin;
    this.health = health;
  }

  public Route routes() {
    ExceptionHandler unexpected = ExceptionHandler.newBuilder()
        .matchAny(e -> extractUri(uri -> {
          log.error("unexpected failure serving {}", uri.path(), e);
          return complete(Responses.withRequestId(ErrorResponses.of(apiFor(uri.path()),
              new GatewayException(ErrorKind.INTERNAL, "Internal gateway error.")), RequestIds.next()));
        }))
        .build();
    // Built once: the Java DSL re-runs the suppliers below on every request.
    Route all = concat(
        api.routes(),
        audit.routes(),
        budget.routes(),
        cluster.routes(),
        admin.routes(),
        health.routes(),
        extractUri(uri -> complete(ErrorResponses.of(apiFor(uri.path()),
            new GatewayException(ErrorKind.NOT_FOUND, "Unknown endpoint: " + uri.path(), null, "unknown_url")))));
    Route guarded = handleExceptions(unexpected, () -> all);
    return mapResponse(TollgateRoutes::ensureRequestId, () -> guarded);
  }

  /** Every response carries a request id; the API routes set their own (the audit key), the rest get one here. */
  private static HttpResponse ensureRequestId(HttpResponse response) {
    return response.getHeader("x-request-id").isPresent() ? response : Responses.withRequestId(response, RequestIds.next());
  }

  private static ClientApi apiFor(String path) {
    return path.startsWith("/v1/messages") ? ClientApi.ANTHROPIC : ClientApi.OPENAI;
  }
}
