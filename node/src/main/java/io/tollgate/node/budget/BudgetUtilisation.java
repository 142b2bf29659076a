package io.tollgate.node.budget;

import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitStatus;
import java.util.OptionalDouble;

/** How much of its tightest USD budget a tenant has used, as the last admission saw it. */
public final class BudgetUtilisation {
  private BudgetUtilisation() {}

  /** Used share (0..1) of the most used USD limit in the admission's status; empty when none applies. */
  public static OptionalDouble of(Admission admission) {
    double worst = -1;
    for (LimitStatus s : admission.status()) {
      if (s.kind() == LimitKind.USD && s.limit() > 0) {
        worst = Math.max(worst, 1.0 - (double) Math.max(0, s.remaining()) / s.limit());
      }
    }
    return worst < 0 ? OptionalDouble.empty() : OptionalDouble.of(worst);
  }
}
