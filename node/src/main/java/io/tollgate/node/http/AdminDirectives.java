package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tollgate.node.http.audit.AdminAuth;
import io.tollgate.node.http.audit.AdminPrincipal;
import io.tollgate.node.limits.Limits;
import io.tollgate.node.security.AdminAuthThrottle;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every admin route class shares: who may call (the global admin token, or a tenant's own
 * admin tokens; a source presenting too many wrong tokens is throttled, {@link AdminAuthThrottle}), reading a bounded JSON body, JSON answers, and failures in the OpenAI error shape.
 */
abstract class AdminDirectives extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(AdminDirectives.class);

  private final ActorSystem<?> system;
  private final GlobalAdminToken adminToken;
  private final AdminAuthThrottle throttle;
  private final ExceptionHandler gatewayErrors;

  /** {@code adminToken}: the global admin token; null or empty turns the admin API off (404). */
  AdminDirectives(ActorSystem<?> system, String adminToken) {
    this.system = system;
    this.adminToken = new GlobalAdminToken(adminToken);
    this.throttle = AdminAuthThrottle.get(system);
    this.gatewayErrors = ExceptionHandler.newBuilder().match(GatewayException.class, this::error).build();
  }

  // --- who may call ---------------------------------------------------------------------------

  /** Runs {@code inner} for the global admin only: 404 while the admin API is off, 401 otherwise. */
  protected final Route admin(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<Route> throttled = throttled(request);
      if (throttled.isPresent()) {
        return throttled.get();
      }
      Optional<GatewayException> denied = adminToken.refusal(request);
      if (denied.isPresent()) {
        countFailure(request, denied.get());
        return refuse(request, denied.get());
      }
      return inner.get();
    });
  }

  /** A 429 for a source that presented too many wrong admin tokens lately; empty when it may try. */
  private Optional<Route> throttled(HttpRequest request) {
    return throttle.waitFor(source(request)).map(wait -> {
      request.discardEntityBytes(system);
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      return complete(ErrorResponses.of(ClientApi.OPENAI, new GatewayException(ErrorKind.RATE_LIMITED,
              "Too many wrong admin tokens from this address; try again in " + seconds + " s.", null,
              "admin_auth_throttled"))
          .addHeader(RawHeader.create("retry-after", Long.toString(seconds))));
    });
  }

  /** A 401 to a caller that presented some bearer token counts against its source. */
  private void countFailure(HttpRequest request, GatewayException refusal) {
    boolean presented = request.getHeader("authorization").map(h -> h.value().strip()).filter(v -> v.length() > 7).isPresent();
    if (refusal.kind() == ErrorKind.AUTHENTICATION && presented) {
      throttle.failed(source(request));
    }
  }

  /** The peer address of the connection (never a forwarding header a client could forge). */
  private static String source(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(InetAddress::getHostAddress).orElse("unknown");
  }

  /**
   * Runs {@code inner} for the global admin or, unless {@code globalOnly}, an admin token of
   * {@code tenant}: 404 while the admin API is off, 401 for an unknown token, 403 for another
   * tenant's token (or a tenant token where the global one is needed), 503 when the token store
   * did not answer.
   */
  protected final Route tenantAdmin(AdminAuth auth, String tenant, boolean globalOnly,
      Function<AdminPrincipal, Route> inner) {
    return extractRequest(request -> {
      if (!auth.enabled()) {
        return refuse(request, new GatewayException(ErrorKind.NOT_FOUND, "The admin API is disabled: set TOLLGATE_ADMIN_TOKEN."));
      }
      Optional<Route> throttled = throttled(request);
      if (throttled.isPresent()) {
        return throttled.get();
      }
      return onComplete(auth.resolve(request), result -> {
        if (result.isFailure()) {
          log.warn("admin token lookup failed: {}", ErrorResponses.unwrap(result.failed().get()).getClass().getSimpleName());
          return refuse(request, new GatewayException(ErrorKind.UNAVAILABLE, "Could not check the admin token; try again."));
        }
        if (result.get().isEmpty()) {
          GatewayException wrong = new GatewayException(ErrorKind.AUTHENTICATION, "Missing or wrong admin token.", null,
              "invalid_admin_token");
          countFailure(request, wrong);
          return refuse(request, wrong);
        }
        AdminPrincipal caller = result.get().get();
        if (!caller.mayRead(tenant)) {
          return refuse(request, new GatewayException(ErrorKind.PERMISSION,
              "This admin token may only access its own tenant.", null, "tenant_mismatch"));
        }
        if (globalOnly && !(caller instanceof AdminPrincipal.Global)) {
          return refuse(request, new GatewayException(ErrorKind.PERMISSION,
              "This operation needs the global admin token.", null, "global_admin_only"));
        }
        return inner.apply(caller);
      });
    });
  }

  /** Answers {@code e}, discarding the request body nobody will read. */
  private Route refuse(HttpRequest request, GatewayException e) {
    request.discardEntityBytes(system);
    return error(e);
  }

  // --- bodies ---------------------------------------------------------------------------------

  /** Runs {@code inner} with the body as a JSON object; an empty body is a 400. */
  protected final Route withBody(BodyReader bodies, Function<JsonNode, Route> inner) {
    return readBody(bodies, false, inner);
  }

  /** Runs {@code inner} with the body as a JSON object; an empty body is an empty object. */
  protected final Route withOptionalBody(BodyReader bodies, Function<JsonNode, Route> inner) {
    return readBody(bodies, true, inner);
  }

  /**
   * A body too large is a 413, one that is not a JSON object or passes the admin JSON limits
   * ({@code tollgate.limits.admin}) a 400; so is any GatewayException of {@code inner}.
   */
  private Route readBody(BodyReader bodies, boolean emptyIsObject, Function<JsonNode, Route> inner) {
    return extractRequest(request -> onComplete(bodies.read(request.entity()), result -> {
      if (result.isFailure()) {
        return error(ErrorResponses.classify(result.failed().get()));
      }
      try {
        return inner.apply(emptyIsObject && result.get().isEmpty()
            ? JsonNodeFactory.instance.objectNode()
            : Limits.get(system).adminJson().parseObject(result.get().toArray()));
      } catch (GatewayException e) {
        return error(e);
      }
    }));
  }

  // --- answers --------------------------------------------------------------------------------

  /** Runs {@code inner}, answering any {@link GatewayException} it throws in the OpenAI error shape. */
  protected final Route answeringGatewayErrors(Supplier<Route> inner) {
    return handleExceptions(gatewayErrors, inner);
  }

  /** Runs {@code inner} with the stage's value; a failed stage is a 503 saying {@code unavailable}. */
  protected final <T> Route whenDone(CompletionStage<T> stage, String unavailable, Function<T, Route> inner) {
    return whenDone(stage, failure -> unavailable(unavailable), inner);
  }

  /** Runs {@code inner} with the stage's value; a failed stage is answered with {@code failure}'s error. */
  protected final <T> Route whenDone(
      CompletionStage<T> stage, Function<Throwable, GatewayException> failure, Function<T, Route> inner) {
    return onComplete(stage, outcome -> outcome.isSuccess()
        ? inner.apply(outcome.get())
        : error(failure.apply(outcome.failed().get())));
  }

  /** A 503 in the OpenAI error shape. */
  protected static GatewayException unavailable(String message) {
    return new GatewayException(ErrorKind.UNAVAILABLE, message);
  }

  /** Completes with {@code e} in the OpenAI error shape. */
  protected final Route error(GatewayException e) {
    return complete(ErrorResponses.of(ClientApi.OPENAI, e));
  }

  protected static HttpResponse json(StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, Json.bytes(body));
  }

  protected static HttpResponse ok(JsonNode body) {
    return json(StatusCodes.OK, body);
  }
}
