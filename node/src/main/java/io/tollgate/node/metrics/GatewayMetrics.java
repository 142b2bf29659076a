package io.tollgate.node.metrics;

import static io.tollgate.node.metrics.MetricNames.*;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The gateway's own instruments: per-call tokens, duration, time to first token, outcomes, errors
 * and cost (OpenTelemetry GenAI names where they exist), in-flight streams, budget utilisation and
 * leases, and circuit states. Every call series carries {@code tenant} (see {@link TenantLabels}),
 * {@code model}, {@code provider}, {@code region}, {@code client_api}, {@code cache},
 * {@code gen_ai.system}, {@code gen_ai.request.model}, {@code gen_ai.response.model} and
 * {@code gen_ai.operation.name}; label values are bounded (catalogue names, capped, else
 * {@code other}/{@code unknown}). Thread-safe; recording never blocks.
 */
public final class GatewayMetrics {
  public static final int CIRCUIT_CLOSED = 0;
  public static final int CIRCUIT_HALF_OPEN = 1;
  public static final int CIRCUIT_OPEN = 2;
  /** {@link #recordThrottled} reasons. */
  public static final String THROTTLED_REJECTED_KEY = "rejected_key";
  public static final String THROTTLED_REJECTED_SOURCE = "rejected_source";
  public static final String THROTTLED_TENANT_SHARE = "tenant_share";

  static final String NONE = "none";
  static final String UNKNOWN = "unknown";

  private final String region;
  private final TenantLabels tenants;
  private final Set<String> configuredModels;
  private final FirstSeenValues models;
  private final FirstSeenValues providers;
  private final FirstSeenValues upstreamModels;
  private final FirstSeenValues errorTypes;
  private final GenAiSystems systems;
  private final Map<String, BudgetSeries> budgetByLabel = new ConcurrentHashMap<>();

  private final Metric.Histogram tokenUsage =
      Kamon.histogram(TOKEN_USAGE, "Tokens per call by gen_ai_token_type; input includes cached", MeasurementUnit.none());
  private final Metric.Histogram duration =
      Kamon.histogram(REQUEST_DURATION, "Call duration from arrival to last byte", MeasurementUnit.time().milliseconds());
  private final Metric.Histogram ttft =
      Kamon.histogram(TIME_TO_FIRST_TOKEN, "Time to the first streamed byte", MeasurementUnit.time().milliseconds());
  private final Metric.Counter tokenCount =
      Kamon.counter(TOKENS, "Tokens by gen_ai_token_type; input includes cached", MeasurementUnit.none());
  private final Metric.Counter requests =
      Kamon.counter(REQUESTS, "Finished calls by outcome", MeasurementUnit.none());
  private final Metric.Counter errors =
      Kamon.counter(ERRORS, "Failed calls by error_type", MeasurementUnit.none());
  private final Metric.Counter cost =
      Kamon.counter(COST, "Spend in micro-dollars (divide by 1e6 for USD)", MeasurementUnit.none());
  private final Metric.Gauge streams =
      Kamon.gauge(STREAMS_IN_FLIGHT, "Streams being relayed by this node", MeasurementUnit.none());
  private final Metric.Gauge budget =
      Kamon.gauge(BUDGET_UTILISATION, "Share of the tenant budget used, 0..1", MeasurementUnit.none());
  private final Metric.Gauge leases =
      Kamon.gauge(BUDGET_LEASES, "Budget leases held by this node", MeasurementUnit.none());
  private final Metric.Counter lateSettlements = Kamon.counter(BUDGET_LATE_SETTLEMENTS,
      "Settlements that reached a lease already closed from the audit (its node was thought gone)", MeasurementUnit.none());
  private final Metric.Gauge circuits =
      Kamon.gauge(CIRCUIT_STATE, "Circuit per deployment: 0 closed, 1 half-open, 2 open", MeasurementUnit.none());

  private final Metric.Counter attempts =
      Kamon.counter(PROVIDER_ATTEMPTS, "Provider attempts per deployment by outcome", MeasurementUnit.none());

  private final Metric.Counter overruns =
      Kamon.counter(RESERVATION_OVERRUNS, "Calls whose usage passed their budget reservation", MeasurementUnit.none());

  private final Metric.Counter throttled = Kamon.counter(THROTTLED_CALLS,
      "Calls answered 429 at once by a node-local throttle, by reason", MeasurementUnit.none());
  /** Resolved once per reason: every refused call of a flood increments one of these. */
  private final Map<String, Counter> throttledByReason = new ConcurrentHashMap<>();
  private final Metric.Counter cacheLookups =
      Kamon.counter(CACHE_LOOKUPS, "Chat calls by what the response cache did", MeasurementUnit.none());
  private final Metric.Counter cacheSaved =
      Kamon.counter(CACHE_SAVED, "Micro-dollars saved by response cache hits", MeasurementUnit.none());

  private final CallSeries.Instruments callInstruments =
      new CallSeries.Instruments(requests, errors, duration, ttft, tokenUsage, tokenCount, cost);
  /** Bounded like the label values it is keyed by. */
  private final Map<CallLabels, CallSeries> callSeries = new ConcurrentHashMap<>();

  private GatewayMetrics(Config config, String region) {
    this.region = region == null || region.isBlank() ? NONE : region;
    this.tenants = TenantLabels.of(
        string(config, "tollgate.metrics.tenant-label", "top-n"), integer(config, "tollgate.metrics.tenant-top-n", 20));
    int cap = integer(config, "tollgate.metrics.max-label-values", 200);
    this.configuredModels = config.hasPath("tollgate.models") ? Set.copyOf(config.getObject("tollgate.models").keySet()) : Set.of();
    this.models = new FirstSeenValues(cap);
    this.providers = new FirstSeenValues(cap);
    this.upstreamModels = new FirstSeenValues(cap);
    this.errorTypes = new FirstSeenValues(cap);
    this.systems = GenAiSystems.from(config);
  }

  /** {@code config} is the node's whole configuration ({@code tollgate.metrics}, providers, models). */
  public static GatewayMetrics create(Config config, String region) {
    return new GatewayMetrics(config, region);
  }

  /** Records one finished chat call (Chat Completions or Messages). */
  public void recordCall(CallMetrics m) {
    recordCall(m, GenAiOperation.CHAT);
  }

  /** Records one finished call of the given operation (use {@link GenAiOperation#EMBEDDINGS} for embeddings). */
  public void recordCall(CallMetrics m, GenAiOperation operation) {
    String errorLabel = m.errorType() == null ? null : errorTypes.label(m.errorType());
    callSeries(m, operation).record(CallOutcome.of(m.status(), m.errorType()), m.streamed(), errorLabel, m);
  }

  public void streamStarted() {
    streams.withTag(REGION, region).increment();
  }

  public void streamEnded() {
    streams.withTag(REGION, region).decrement();
  }

  /**
   * The share of a tenant's budget used in the current period (0..1, above 1 when overdrawn).
   * Tenants labelled {@code other} (or all tenants when the tenant label is off) share one series,
   * which shows the highest ratio among them, so a budget alert still fires.
   */
  public void recordBudgetUtilisation(String tenantId, double ratio) {
    if (Double.isNaN(ratio)) {
      return;
    }
    Optional<String> label = tenants.label(tenantId);
    BudgetSeries series = budgetByLabel.computeIfAbsent(label.orElse(""), k -> new BudgetSeries(
        budget.withTags(label.map(t -> TagSet.of(TENANT, t)).orElse(TagSet.Empty()).withTag(REGION, region))));
    synchronized (series) {
      series.ratios().put(tenantId == null ? TenantLabels.NONE : tenantId, ratio);
      double highest = ratio;
      for (double r : series.ratios().values()) {
        highest = Math.max(highest, r);
      }
      series.gauge().update(highest);
    }
  }

  /** One budget-utilisation series (its gauge resolved once) and the ratios of the tenants it shows. */
  private record BudgetSeries(Gauge gauge, Map<String, Double> ratios) {
    BudgetSeries(Gauge gauge) {
      this(gauge, new HashMap<>());
    }
  }

  /** The number of budget leases this node holds now. */
  public void recordLeaseCount(int count) {
    leases.withTag(REGION, region).update(count);
  }

  /** Settlements this node sent that reached an already closed lease. */
  public void recordLateSettlements(long count) {
    if (count > 0) {
      lateSettlements.withTag(REGION, region).increment(count);
    }
  }

  /** A deployment's circuit state: {@link #CIRCUIT_CLOSED}, {@link #CIRCUIT_HALF_OPEN} or {@link #CIRCUIT_OPEN}. */
  public void recordCircuitState(String deployment, int state) {
    String provider = deployment == null ? NONE : providers.label(deployment);
    circuits.withTags(TagSet.of(PROVIDER, provider).withTag(REGION, region)).update(state);
  }

  /**
   * One attempt on a deployment ended: {@code outcome} is success, failure, rate_limited or neutral.
   * More attempts than calls means failover and retries are happening.
   */
  public void recordAttempt(String deployment, String outcome) {
    String provider = deployment == null ? NONE : providers.label(deployment);
    attempts.withTags(TagSet.of(PROVIDER, provider).withTag(OUTCOME, outcome).withTag(REGION, region)).increment();
  }

  /** A call on {@code deployment} cost more than admission reserved for it (billed in full all the same). */
  public void recordReservationOverrun(String deployment, boolean streamed) {
    String provider = deployment == null ? NONE : providers.label(deployment);
    overruns.withTags(TagSet.of(PROVIDER, provider).withTag(STREAMED, streamed)
        .withTag(REGION, region)).increment();
  }

  /**
   * A call was answered 429 at once by a node-local throttle: {@link #THROTTLED_REJECTED_KEY},
   * {@link #THROTTLED_REJECTED_SOURCE} or {@link #THROTTLED_TENANT_SHARE}.
   */
  public void recordThrottled(String reason) {
    Counter counter = throttledByReason.get(reason);
    if (counter == null) {
      counter = throttledByReason.computeIfAbsent(reason,
          r -> throttled.withTags(TagSet.of(REASON, r).withTag(REGION, region)));
    }
    counter.increment();
  }

  /** The response cache answered a chat call with {@code result} (hit, miss, coalesced, bypass, refresh, unavailable). */
  public void recordCache(String tenantId, String model, String result) {
    cacheLookups.withTags(cacheTags(tenantId, model).withTag(OUTCOME, result)).increment();
  }

  /** A hit saved what its stored answer had cost. */
  public void recordCacheSaved(String tenantId, String model, long micros) {
    if (micros > 0) {
      cacheSaved.withTags(cacheTags(tenantId, model)).increment(micros);
    }
  }

  private TagSet cacheTags(String tenantId, String model) {
    return TagSet.of(TENANT, tenants.label(tenantId).orElse(NONE))
        .withTag(MODEL, model != null && configuredModels.contains(model) ? model : NONE)
        .withTag(REGION, region);
  }

  /** The labels every series of a call carries; the tenant is null when the tenant label is off. */
  private record CallLabels(String tenant, String model, String provider, String clientApi, String system,
      String upstream, String operation) {}

  private CallSeries callSeries(CallMetrics m, GenAiOperation operation) {
    boolean resolved = m.provider() != null && !m.provider().isBlank();
    String model = modelLabel(m.logicalModel(), resolved);
    CallLabels labels = new CallLabels(
        tenants.label(m.tenantId()).orElse(null),
        model,
        resolved ? providers.label(m.provider()) : NONE,
        m.clientApi() == null ? NONE : m.clientApi().name().toLowerCase(Locale.ROOT),
        resolved ? systems.of(m.provider()) : NONE,
        resolved && m.upstreamModel() != null ? upstreamModels.label(m.upstreamModel()) : NONE,
        operation.label());
    CallSeries series = callSeries.get(labels);
    return series != null ? series : callSeries.computeIfAbsent(labels, l -> new CallSeries(callInstruments, tags(l)));
  }

  private TagSet tags(CallLabels l) {
    TagSet.Builder b = TagSet.builder();
    if (l.tenant() != null) {
      b.add(TENANT, l.tenant());
    }
    return b
        .add(MODEL, l.model())
        .add(PROVIDER, l.provider())
        .add(REGION, region)
        .add(CLIENT_API, l.clientApi())
        .add(CACHE, NONE)
        .add(GEN_AI_SYSTEM, l.system())
        .add(GEN_AI_REQUEST_MODEL, l.model())
        .add(GEN_AI_RESPONSE_MODEL, l.upstream())
        .add(GEN_AI_OPERATION, l.operation())
        .build();
  }

  private String modelLabel(String logicalModel, boolean resolved) {
    if (logicalModel == null || logicalModel.isBlank()) {
      return NONE;
    }
    // A name the catalogue did not resolve is the client's free text: never a label value.
    return resolved || configuredModels.contains(logicalModel) ? models.label(logicalModel) : UNKNOWN;
  }

  private static String string(Config c, String path, String fallback) {
    return c.hasPath(path) ? c.getString(path) : fallback;
  }

  private static int integer(Config c, String path, int fallback) {
    return c.hasPath(path) ? c.getInt(path) : fallback;
  }
}
