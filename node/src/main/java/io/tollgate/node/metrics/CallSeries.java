package io.tollgate.node.metrics;

import static io.tollgate.node.metrics.MetricNames.ERROR_TYPE;
import static io.tollgate.node.metrics.MetricNames.GEN_AI_TOKEN_TYPE;
import static io.tollgate.node.metrics.MetricNames.OUTCOME;
import static io.tollgate.node.metrics.MetricNames.STREAMED;

import java.util.concurrent.ConcurrentHashMap;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The instruments of one set of call labels (tenant, model, provider, ...), resolved once: a
 * finished call then records into handles instead of looking each series up by its tags (building
 * a tag set and hashing it per instrument per call). The per-outcome series (requests, errors,
 * duration) are resolved on their first use. Thread-safe.
 */
final class CallSeries {
  /** The instruments the series are taken from. */
  record Instruments(
      Metric.Counter requests, Metric.Counter errors, Metric.Histogram duration, Metric.Histogram ttft,
      Metric.Histogram tokenUsage, Metric.Counter tokenCount, Metric.Counter cost) {}

  private record OutcomeKey(String outcome, boolean streamed, String errorType) {}

  /** The series of one outcome; {@code errors} is null for a call without an error type. */
  private record OutcomeSeries(Counter requests, Counter errors, Histogram duration) {}

  private final Instruments instruments;
  private final TagSet common;
  private final Histogram ttft;
  private final Counter cost;
  private final Histogram inputUsage;
  private final Histogram outputUsage;
  private final Histogram cachedUsage;
  private final Counter inputCount;
  private final Counter outputCount;
  private final Counter cachedCount;
  private final ConcurrentHashMap<OutcomeKey, OutcomeSeries> byOutcome = new ConcurrentHashMap<>();

  CallSeries(Instruments instruments, TagSet common) {
    this.instruments = instruments;
    this.common = common;
    this.ttft = instruments.ttft().withTags(common);
    this.cost = instruments.cost().withTags(common);
    this.inputUsage = instruments.tokenUsage().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "input"));
    this.outputUsage = instruments.tokenUsage().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "output"));
    this.cachedUsage = instruments.tokenUsage().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "cached"));
    this.inputCount = instruments.tokenCount().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "input"));
    this.outputCount = instruments.tokenCount().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "output"));
    this.cachedCount = instruments.tokenCount().withTags(common.withTag(GEN_AI_TOKEN_TYPE, "cached"));
  }

  /**
   * Records one finished call.
   *
   * @param errorLabel the call's bounded error type label, or null when it had none
   */
  void record(String outcome, boolean streamed, String errorLabel, CallMetrics m) {
    OutcomeSeries o = byOutcome.computeIfAbsent(new OutcomeKey(outcome, streamed, errorLabel), this::outcomeSeries);
    o.requests().increment();
    if (o.errors() != null) {
      o.errors().increment();
    }
    o.duration().record(Math.max(0, m.latencyMillis()));
    if (m.ttftMillis() >= 0) {
      ttft.record(m.ttftMillis());
    }
    tokens(inputUsage, inputCount, m.inputTokens());
    tokens(outputUsage, outputCount, m.outputTokens());
    tokens(cachedUsage, cachedCount, m.cachedTokens());
    if (m.costMicros() > 0) {
      cost.increment(m.costMicros());
    }
  }

  private OutcomeSeries outcomeSeries(OutcomeKey k) {
    TagSet withOutcome = common.withTag(OUTCOME, k.outcome());
    return new OutcomeSeries(
        instruments.requests().withTags(withOutcome.withTag(STREAMED, k.streamed())),
        k.errorType() == null ? null : instruments.errors().withTags(withOutcome.withTag(ERROR_TYPE, k.errorType())),
        instruments.duration().withTags(withOutcome));
  }

  private static void tokens(Histogram usage, Counter count, long tokens) {
    if (tokens > 0) {
      usage.record(tokens);
      count.increment(tokens);
    }
  }
}
