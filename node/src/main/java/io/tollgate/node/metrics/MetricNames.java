package io.tollgate.node.metrics;

import java.util.List;

/**
 * The instruments {@link GatewayMetrics} records, by their Kamon name, and the series they become
 * on the Prometheus endpoint (kamon-prometheus turns dots into underscores, appends {@code _total}
 * to counters, converts times to seconds with a {@code _seconds} suffix, and exports histograms as
 * {@code _bucket}/{@code _sum}/{@code _count}). Label keys follow the same rule
 * ({@code gen_ai.token.type} becomes {@code gen_ai_token_type}).
 */
public final class MetricNames {
  /** Histogram of tokens per call, tagged {@code gen_ai.token.type} = input | output | cached. */
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  /** Histogram of call duration, arrival to last byte; exported in seconds. */
  public static final String REQUEST_DURATION = "gen_ai.server.request.duration";
  /** Histogram of time to the first streamed byte (streams only); exported in seconds. */
  public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
  /**
   * Counter of tokens, tagged {@code gen_ai.token.type} like {@link #TOKEN_USAGE}: exact totals
   * for FinOps (histogram sums are approximate to about 1 %).
   */
  public static final String TOKENS = "tollgate.tokens";
  /** Counter of finished calls, tagged {@code outcome} and {@code streamed}. */
  public static final String REQUESTS = "tollgate.requests";
  /** Counter of failed calls, tagged {@code error.type} (the audit error type) and {@code outcome}. */
  public static final String ERRORS = "tollgate.errors";
  /**
   * Counter of spend in MICRO-dollars (1 USD = 1,000,000), despite the name: Kamon counters are
   * integers. Divide by 1e6 in queries.
   */
  public static final String COST = "tollgate.cost.usd";
  /** Gauge of streams being relayed on this node. */
  public static final String STREAMS_IN_FLIGHT = "tollgate.streams.in_flight";
  /** Gauge of a tenant's budget used, 0..1 (above 1 when overdrawn); "other" shows the highest. */
  public static final String BUDGET_UTILISATION = "tollgate.budget.utilisation";
  /** Gauge of budget leases this node holds. */
  public static final String BUDGET_LEASES = "tollgate.budget.leases";
  /** Counter of settlements that reached a lease the entity had closed already (counted late, from its tombstone). */
  public static final String BUDGET_LATE_SETTLEMENTS = "tollgate.budget.late_settlements";
  /** Gauge of each deployment's circuit: 0 closed, 1 half-open, 2 open. */
  public static final String CIRCUIT_STATE = "tollgate.circuit.state";
  /** Counter of provider attempts per deployment by outcome (success, failure, rate_limited, neutral). */
  public static final String PROVIDER_ATTEMPTS = "tollgate.provider.attempts";

  /**
   * Counter of calls whose actual usage passed what admission reserved (a provider that overran its
   * output cap within one chunk, or a non-streamed answer past it), tagged {@code provider} and
   * {@code streamed}. Such calls are billed in full; the budget may pass its limit by their excess.
   */
  public static final String RESERVATION_OVERRUNS = "tollgate.reservation.overruns";
  /** Counter of chat calls by what the response cache did, tagged {@code result} = hit | miss | coalesced | bypass | refresh | unavailable. */
  public static final String CACHE_LOOKUPS = "tollgate.cache.lookups";
  /** Counter of micro-dollars cache hits saved (what the stored answer's call cost). */
  public static final String CACHE_SAVED = "tollgate.cache.saved.usd";

  /**
   * Counter of calls answered 429 at once by a node-local throttle, before any work, tagged
   * {@code reason}: {@code rejected_key} / {@code rejected_source} (refused too often lately,
   * {@code too_many_rejected_requests}) or {@code tenant_share} (the tenant holds its whole share of
   * the provider's connections, {@code tenant_concurrency_exceeded}).
   */
  public static final String THROTTLED_CALLS = "tollgate.throttled.calls";

  /** Prometheus metric families, as scraped. */
  public static final String PROM_TOKEN_USAGE = "gen_ai_client_token_usage";
  public static final String PROM_REQUEST_DURATION = "gen_ai_server_request_duration_seconds";
  public static final String PROM_TIME_TO_FIRST_TOKEN = "gen_ai_server_time_to_first_token_seconds";
  public static final String PROM_TOKENS = "tollgate_tokens_total";
  public static final String PROM_REQUESTS = "tollgate_requests_total";
  public static final String PROM_ERRORS = "tollgate_errors_total";
  public static final String PROM_COST = "tollgate_cost_usd_total";
  public static final String PROM_STREAMS_IN_FLIGHT = "tollgate_streams_in_flight";
  public static final String PROM_BUDGET_UTILISATION = "tollgate_budget_utilisation";
  public static final String PROM_BUDGET_LEASES = "tollgate_budget_leases";
  public static final String PROM_CIRCUIT_STATE = "tollgate_circuit_state";
  public static final String PROM_BUDGET_LATE_SETTLEMENTS = "tollgate_budget_late_settlements_total";
  public static final String PROM_PROVIDER_ATTEMPTS = "tollgate_provider_attempts_total";
  public static final String PROM_RESERVATION_OVERRUNS = "tollgate_reservation_overruns_total";
  public static final String PROM_THROTTLED_CALLS = "tollgate_throttled_calls_total";

  /** Every Prometheus family above; histograms also appear with their suffixes. */
  public static final List<String> PROMETHEUS_FAMILIES = List.of(
      PROM_TOKEN_USAGE, PROM_REQUEST_DURATION, PROM_TIME_TO_FIRST_TOKEN, PROM_TOKENS, PROM_REQUESTS, PROM_ERRORS,
      PROM_COST, PROM_STREAMS_IN_FLIGHT, PROM_BUDGET_UTILISATION, PROM_BUDGET_LEASES, PROM_CIRCUIT_STATE,
      PROM_PROVIDER_ATTEMPTS, PROM_RESERVATION_OVERRUNS, PROM_THROTTLED_CALLS);

  /** Tag keys (Kamon spelling). */
  public static final String TENANT = "tenant";
  public static final String MODEL = "model";
  public static final String PROVIDER = "provider";
  public static final String REGION = "region";
  public static final String CLIENT_API = "client_api";
  public static final String CACHE = "cache";
  public static final String OUTCOME = "outcome";
  public static final String STREAMED = "streamed";
  public static final String REASON = "reason";
  public static final String ERROR_TYPE = "error.type";
  public static final String GEN_AI_SYSTEM = "gen_ai.system";
  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String GEN_AI_OPERATION = "gen_ai.operation.name";
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";

  private MetricNames() {}
}
