package io.tollgate.persistence.audit;

/**
 * What the calls of one budget lease add up to.
 *
 * @param estimatedCalls calls among {@code calls} that never finished (their node was lost), counted
 *     at the worst case reserved for them
 */
public record LeaseTotals(long costMicros, long tokens, long calls, long estimatedCalls) {
  public static final LeaseTotals NONE = new LeaseTotals(0, 0, 0, 0);

  /** Totals of finished calls only. */
  public LeaseTotals(long costMicros, long tokens, long calls) {
    this(costMicros, tokens, calls, 0);
  }

  public LeaseTotals plus(LeaseTotals other) {
    return new LeaseTotals(costMicros + other.costMicros, tokens + other.tokens, calls + other.calls,
        estimatedCalls + other.estimatedCalls);
  }
}
