package io.tollgate.persistence.audit;

/** What the audit records of one budget lease add up to. */
public record LeaseTotals(long costMicros, long tokens, long calls) {
  public static final LeaseTotals NONE = new LeaseTotals(0, 0, 0);

  public LeaseTotals plus(LeaseTotals other) {
    return new LeaseTotals(costMicros + other.costMicros, tokens + other.tokens, calls + other.calls);
  }
}
