package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.auth.Authenticator;
import io.tollgate.node.auth.Caller;
import io.tollgate.node.audit.BodyCapture;
import io.tollgate.node.budget.BudgetRejection;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.catalog.ModelCatalog;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.limits.ClientAddress;
import io.tollgate.node.limits.Limits;
import io.tollgate.node.proxy.NoRouteAvailable;
import io.tollgate.node.proxy.TenantShareExceeded;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.persistence.tenantadmin.TenantRoutingStore;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.metrics.GenAiOperation;
import io.tollgate.node.proxy.CallContext;
import io.tollgate.node.proxy.Proxies;
import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing API: OpenAI Chat Completions, Embeddings and Models, and Anthropic Messages.
 * Order per call: authenticate (header only), read the bounded body, parse, resolve the model
 * group, check the key may use it and the strategy it asks for, then hand over to the proxy. Every outcome after authentication is
 * recorded once. Refused calls count against their key and client address ({@link Limits}); a key or
 * address refused too often is answered 429 at once, before its body is read, and not recorded.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private enum Kind { CHAT, EMBEDDINGS }

  private final Authenticator authenticator;
  private final ModelCatalog catalog;
  private final Proxies proxies;
  private final LeaseBook leases;
  private final TenantSettingsStore tenantSettings;
  private final TenantRoutingStore routingPolicies;
  private final String strategyHeaderName;
  private final CallRecorder recorder;
  private final BodyReader bodies;
  private final ModelsListing models;
  private final Materializer materializer;
  private final Limits limits;
  private final GatewayMetrics metrics;

  public ApiRoutes(
      Authenticator authenticator, ModelCatalog catalog, Proxies proxies, LeaseBook leases,
      TenantSettingsStore tenantSettings, TenantRoutingStore routingPolicies, String strategyHeaderName,
      CallRecorder recorder, long maxBodyBytes, Materializer materializer, Limits limits, GatewayMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    this.tenantSettings = tenantSettings;
    this.routingPolicies = routingPolicies;
    this.strategyHeaderName = strategyHeaderName;
    this.authenticator = authenticator;
    this.catalog = catalog;
    this.proxies = proxies;
    this.leases = leases;
    this.recorder = recorder;
    this.bodies = new BodyReader(maxBodyBytes, materializer);
    this.models = new ModelsListing(catalog);
    this.materializer = materializer;
  }

  /** Built once: the Java DSL re-runs the suppliers below on every request, so they only hand out finished routes. */
  public Route routes() {
    Route chat = onlyPost(ClientApi.OPENAI, call(ClientApi.OPENAI, Kind.CHAT));
    Route messages = onlyPost(ClientApi.ANTHROPIC, call(ClientApi.ANTHROPIC, Kind.CHAT));
    Route embeddings = onlyPost(ClientApi.OPENAI, call(ClientApi.OPENAI, Kind.EMBEDDINGS));
    Route modelList = get(this::listModels);
    return concat(
        path(segment("v1").slash("chat").slash("completions"), () -> chat),
        path(segment("v1").slash("messages"), () -> messages),
        path(segment("v1").slash("embeddings"), () -> embeddings),
        path(segment("v1").slash("models"), () -> modelList));
  }

  /** POST serves; any other method gets 405 in the API's error shape (the request id is added by {@link TollgateRoutes}). */
  private Route onlyPost(ClientApi api, Route inner) {
    HttpResponse notAllowed = ErrorResponses.of(api,
            new GatewayException(ErrorKind.INVALID_REQUEST, "This endpoint only accepts POST.", null, "method_not_allowed"))
        .withStatus(405);
    return concat(post(() -> inner), complete(notAllowed));
  }

  private Route call(ClientApi api, Kind kind) {
    return extractRequest(request -> completeWithFuture(handle(api, kind, request)));
  }

  private CompletionStage<HttpResponse> handle(ClientApi api, Kind kind, HttpRequest request) {
    String requestId = RequestIds.next();
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    String source = ClientAddress.of(request);
    Optional<Duration> sourceWait = limits.perSource().blocked(source);
    if (sourceWait.isPresent()) {
      metrics.recordThrottled(GatewayMetrics.THROTTLED_REJECTED_SOURCE);
      return throttled(api, request, requestId, sourceWait.get());
    }
    return authenticator.authenticate(request).handle((caller, failure) -> {
      if (failure != null) {
        GatewayException e = ErrorResponses.classify(failure);
        if (e.kind() == ErrorKind.AUTHENTICATION) {
          countRefusal(null, source);
        }
        request.discardEntityBytes(materializer);
        return CompletableFuture.completedFuture(Responses.withRequestId(ErrorResponses.of(api, e), requestId));
      }
      Optional<Duration> keyWait = limits.perKey().blocked(caller.keyId());
      if (keyWait.isPresent()) {
        metrics.recordThrottled(GatewayMetrics.THROTTLED_REJECTED_KEY);
        return throttled(api, request, requestId, keyWait.get());
      }
      return handle(api, kind, request, requestId, startedAt, startNanos, caller, source);
    }).thenCompose(response -> response);
  }

  private CompletionStage<HttpResponse> handle(ClientApi api, Kind kind, HttpRequest request, String requestId,
      Instant startedAt, long startNanos, Caller caller, String source) {
    CallContext ctx = new CallContext(requestId, api,
        kind == Kind.CHAT ? GenAiOperation.CHAT : GenAiOperation.EMBEDDINGS, caller, startedAt, startNanos);
    request.getHeader("cache-control").ifPresent(h -> ctx.cacheControl(h.value()));
    AtomicReference<String> model = new AtomicReference<>();
    Optional<String> strategyHeader = request.getHeader(strategyHeaderName).map(HttpHeader::value);
    return bodies.read(request.entity())
        .thenCombine(storesBodies(caller.tenantId()), (bytes, keep) -> {
          if (keep) {
            ctx.captureBodies(new BodyCapture(bytes));
          }
          return bytes;
        })
        .thenCombine(routingPolicy(caller.tenantId()), (bytes, policy) -> {
          JsonNode body = limits.requestJson().parseObject(bytes.toArray());
          // before the model is kept for the audit record and the access log: an overlong one is never stored
          limits.fields().check(body);
          model.set(JsonBodies.model(body));
          ModelGroup group = resolve(caller, model.get());
          RoutingStrategy strategy = strategy(strategyHeader, caller, policy);
          return kind == Kind.CHAT
              ? proxies.chat().call(ctx, model.get(), body, group, strategy, policy)
              : proxies.embeddings().call(ctx, model.get(), body, group, strategy, policy);
        })
        .thenCompose(call -> call)
        .exceptionallyCompose(failure -> {
          GatewayException e = ErrorResponses.classify(failure);
          if (refusesInput(e.kind())) {
            countRefusal(caller.keyId(), source);
          }
          HttpResponse error = ErrorResponses.of(api, e);
          Throwable cause = ErrorResponses.unwrap(failure);
          HttpResponse answer = cause instanceof BudgetRejection rejection ? error.addHeaders(rejection.headers())
              : cause instanceof NoRouteAvailable unroutable ? error.addHeaders(unroutable.headers())
              : cause instanceof TenantShareExceeded exceeded ? error.addHeaders(exceeded.headers()) : error;
          return recorder.recordBeforeAnswer(ctx, new CallRecorder.Outcome(
                  model.get(), ctx.route(), Usage.ZERO, e.kind().status(), CallRecorder.errorType(e.kind()), -1, false))
              .thenApply(written -> answer);
        })
        .thenApply(response -> Responses.withRequestId(
            ctx.admission().map(a -> response.addHeaders(leases.headers(a))).orElse(response), requestId));
  }

  /** Refusals of what the caller sent (not of budgets, rate limits or providers): these count against it. */
  private static boolean refusesInput(ErrorKind kind) {
    return kind == ErrorKind.INVALID_REQUEST || kind == ErrorKind.PERMISSION || kind == ErrorKind.NOT_FOUND
        || kind == ErrorKind.REQUEST_TOO_LARGE;
  }

  /** Counts a refused call against its key (null: none known) and address; says once when either is throttled from now. */
  private void countRefusal(String keyId, String source) {
    if (limits.perKey().rejected(keyId)) {
      log.warn("key {} was refused too often: its calls get 429 too_many_rejected_requests for a while", keyId);
    }
    if (limits.perSource().rejected(source)) {
      log.warn("address {} was refused too often: its calls get 429 too_many_rejected_requests for a while", source);
    }
  }

    /** 429 for a key or address refused too often lately: nothing is read, looked up or recorded. */
  private CompletionStage<HttpResponse> throttled(ClientApi api, HttpRequest request, String requestId, Duration wait) {
    request.discardEntityBytes(materializer);
    HttpResponse response = ErrorResponses.of(api, new GatewayException(ErrorKind.RATE_LIMITED,
            "Too many refused requests from this key or address; fix the requests and retry later.",
            null, "too_many_rejected_requests"))
        .addHeader(RawHeader.create("retry-after", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
    return CompletableFuture.completedFuture(Responses.withRequestId(response, requestId));
  }

  /** The strategy the caller asked for in the header, when its tenant lets the key choose; null for the model's own. */
  private RoutingStrategy strategy(Optional<String> header, Caller caller, TenantRouting policy) {
    if (header.isEmpty()) {
      return null;
    }
    RoutingStrategy strategy = RoutingStrategy.parse(header.get()).orElseThrow(() -> new GatewayException(
        ErrorKind.INVALID_REQUEST, "Unknown routing strategy"
            + (header.get().length() <= 32 ? " '" + header.get() + "'" : "") + " in " + strategyHeaderName + ": use priority, weighted, least-latency or lowest-cost.",
        strategyHeaderName, "unknown_strategy"));
    if (!policy.keyMayChooseStrategy(caller.keyId())) {
      throw new GatewayException(ErrorKind.PERMISSION,
          "This API key may not choose the routing strategy; the tenant's routing policy must allow it.",
          strategyHeaderName, "strategy_not_allowed");
    }
    return strategy;
  }

  /**
   * The tenant's routing policy. Fails closed: when it cannot be read the call is refused (503
   * {@code routing_policy_unavailable}), never routed as if the tenant had no policy.
   */
  private CompletionStage<TenantRouting> routingPolicy(String tenantId) {
    return routingPolicies.get(tenantId).exceptionallyCompose(failure -> {
      RoutingPolicyUnavailable.warn(tenantId, failure);
      return CompletableFuture.failedFuture(RoutingPolicyUnavailable.ERROR);
    });
  }

  /** Whether the tenant opted in to body storage; a settings read that fails counts as no. */
  private CompletionStage<Boolean> storesBodies(String tenantId) {
    return tenantSettings.storesBodies(tenantId).exceptionally(failure -> false);
  }

  private ModelGroup resolve(Caller caller, String model) {
    ModelGroup group = catalog.group(model).orElseThrow(() -> new GatewayException(ErrorKind.NOT_FOUND,
        "The model '" + model + "' does not exist or is not enabled on this gateway.", "model", "model_not_found"));
    if (!caller.mayUse(model)) {
      throw new GatewayException(ErrorKind.PERMISSION,
          "This API key may not use the model '" + model + "'.", "model", "model_not_allowed");
    }
    return group;
  }

  private Route listModels() {
    return extractRequest(request -> {
      String requestId = RequestIds.next();
      boolean anthropic = request.getHeader("anthropic-version").isPresent();
      ClientApi api = anthropic ? ClientApi.ANTHROPIC : ClientApi.OPENAI;
      return completeWithFuture(authenticator.authenticate(request).handle((caller, failure) ->
          Responses.withRequestId(failure == null ? models.render(caller, api)
              : ErrorResponses.of(api, ErrorResponses.classify(failure)), requestId)));
    });
  }
}
