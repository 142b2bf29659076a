package io.tollgate.node.http;

import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.ArrayList;
import java.util.List;
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
  private final HealthRoutes health;
  private final List<Route> admin;

  /** {@code admin}: the admin, audit and operator routes, each already built once. */
  public TollgateRoutes(ApiRoutes api, HealthRoutes health, List<Route> admin) {
    this.api = api;
    this.health = health;
    this.admin = List.copyOf(admin);
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
    List<Route> routes = new ArrayList<>();
    routes.add(api.routes());
    routes.addAll(admin);
    routes.add(health.routes());
    routes.add(extractUri(uri -> complete(ErrorResponses.of(apiFor(uri.path()),
            new GatewayException(ErrorKind.NOT_FOUND, "Unknown endpoint: " + uri.path(), null, "unknown_url")))));
    Route all = concat(routes.get(0), routes.subList(1, routes.size()).toArray(new Route[0]));
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
