package io.tollgate.node.proxy;

import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.protocol.usage.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a call that cost more than its admission reserved: a provider that overran its output cap
 * within one stream chunk, or a non-streamed answer past the cap. The call is billed in full all the
 * same; this counts it ({@code tollgate_reservation_overruns_total}, alerted on) and logs it.
 */
final class ReservationOverruns {
  private static final Logger log = LoggerFactory.getLogger(ReservationOverruns.class);
  private final GatewayMetrics metrics;

  ReservationOverruns(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code cost} is what the call was billed (its audit record's cost). */
  void check(CallContext ctx, ModelRoute route, Usage usage, long cost, boolean streamed) {
    ctx.admission().ifPresent(admission -> {
      if (route != null && DemandEstimator.overran(admission.reserved(), DemandEstimator.actual(cost, usage))) {
        metrics.recordReservationOverrun(route.deploymentId(), streamed);
        log.warn("call {} on {} cost {} micro-USD and {} tokens, more than its reservation of {} and {}",
            ctx.requestId(), route.deploymentId(), cost, usage.totalTokens(),
            admission.reserved().usdMicros(), admission.reserved().tokens());
      }
    });
  }
}
