package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.budget.ReservationSettings;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.routing.RoutingDecision;
import io.tollgate.node.routing.RoutingRequest;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.tenantadmin.TenantRouting;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.translate.Translators;
import io.tollgate.protocol.usage.TokenCounter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** One chat call (either client API) to the deployments of a model group, streamed or whole. */
public final class ChatProxy {
  private final ProviderClient client;
  private final Admitter admitter;
  private final Failover failover;
  private final Attempts attempts;
  private final StreamRelay stream;
  /** Null when whole answers are asked of providers whole. */
  private final WholeAnswerFromStream wholeFromStream;
  private final ReservationSettings reservation;
  private final CacheStage cache;

  ChatProxy(
      ProviderClient client, Admitter admitter, Failover failover, Attempts attempts, StreamRelay stream,
      WholeAnswerFromStream wholeFromStream, ReservationSettings reservation, CacheStage cache) {
    this.cache = cache;
    this.client = client;
    this.admitter = admitter;
    this.failover = failover;
    this.attempts = attempts;
    this.stream = stream;
    this.wholeFromStream = wholeFromStream;
    this.reservation = reservation;
  }

  /**
   * Validates and translates the call, routes it, reserves its worst case (at the dearest candidate's
   * price) against the caller's budgets, then tries the candidates. Every provider request carries
   * the reserved output cap (the client's, or the configured default). Bad input (also an {@code n}
   * above {@code tollgate.budget.reservation.max-choices}) fails the returned
   * stage with a {@link io.tollgate.protocol.GatewayException}, a refused budget with a
   * {@link io.tollgate.node.budget.BudgetRejection}, no usable deployment with a
   * {@link NoRouteAvailable}, all before anything is sent; every call that reached a provider is
   * recorded (and settled) here.
   */
  public CompletionStage<HttpResponse> call(
      CallContext ctx, String model, JsonNode body, ModelGroup group, RoutingStrategy strategy, TenantRouting policy) {
    ModelRoute lead = group.deployments().get(0);
    ChatTranslator leadTranslator = Translators.chat(ctx.api(), lead.endpoint().schema());
    UpstreamRequest leadRequest = leadTranslator.toUpstream(
        body, lead.upstreamModel(), lead.endpoint(), reservation.defaultMaxOutputTokens(), wholeFromStream != null);
    ChatRequest request = leadTranslator.request();
    if (request.choices() > reservation.maxChoices()) {
      throw GatewayException.invalid("n", "'n' must be at most " + reservation.maxChoices());
    }
    return cache.around(ctx, group.logicalModel(), body, request,
        () -> upstream(ctx, model, body, group, strategy, policy, lead, leadTranslator, leadRequest, request));
  }

  /** Admits the call's worst case, routes it and tries the candidates. */
  private CompletionStage<HttpResponse> upstream(
      CallContext ctx, String model, JsonNode body, ModelGroup group, RoutingStrategy strategy, TenantRouting policy,
      ModelRoute lead, ChatTranslator leadTranslator, UpstreamRequest leadRequest, ChatRequest request) {
    // the prompt is tokenized once, after every cheap check (body size, JSON limits, field bounds, model, n)
    long textTokens = TokenCounter.countPrompt(request, 0);
    Demand worstCase = DemandEstimator.chat(request, textTokens, group, reservation);
    long maxOutput = request.outputCap();
    long promptTokens = textTokens + (long) TokenCounter.images(request) * reservation.imageTokens(lead);
    RoutingRequest routing = new RoutingRequest(strategy, leadTranslator.clientStreams(), promptTokens, maxOutput, policy);
    RoutingDecision decision = failover.route(group, routing);
    boolean[] leadUsed = {false};
    if (decision.candidates().isEmpty()) {
      return failover.run(ctx, group, routing, decision, attempts.feedback(), route -> null);
    }
    return admitter.admit(ctx, group.logicalModel(), worstCase).thenCompose(admitted -> failover.run(ctx, group, routing, decision,
        attempts.feedback(), route -> {
          boolean reuse = route == lead && !leadUsed[0];
          leadUsed[0] = true;
          return attempt(ctx, model, body, route, reuse ? leadTranslator : null, reuse ? leadRequest : null);
        }));
  }

  private CompletionStage<AttemptOutcome> attempt(
      CallContext ctx, String model, JsonNode body, ModelRoute route, ChatTranslator translated, UpstreamRequest sent) {
    ChatTranslator translator = translated;
    UpstreamRequest upstream = sent;
    if (translator == null) {
      translator = Translators.chat(ctx.api(), route.endpoint().schema());
      try {
        upstream = translator.toUpstream(
            body, route.upstreamModel(), route.endpoint(), reservation.defaultMaxOutputTokens(), wholeFromStream != null);
      } catch (RuntimeException invalidHere) {
        attempts.feedback().neutral(route, 0);
        return CompletableFuture.failedFuture(invalidHere);
      }
    }
    ChatTranslator t = translator;
    if (ctx.answerSink().isPresent()) {
      t.keepTranscript();
    }
    long start = System.nanoTime();
    Function<HttpResponse, CompletionStage<AttemptOutcome>> answered = t.clientStreams()
        ? response -> stream.open(ctx, model, route, t, response, start)
        : t.upstreamStreams() ? response -> wholeFromStream.read(ctx, model, route, t, response, start) : null;
    return attempts.outcome(ctx, model, route, start, client.send(upstream),
        AnswerSinks.notifying(ctx, t, t::fromUpstream, false), answered);
  }
}
