package io.tollgate.persistence.budget;

/**
 * How much of one dimension a lease gets. The node asks for {@code want} (its recent spend rate
 * times a few seconds) and needs at least {@code atLeast} (one request's worst case). The grant is
 * {@code min(want, available)}, capped to {@code max(atLeast, available / 4)} when more than one
 * node holds leases on the tenant, and exactly {@code atLeast} when {@code available < 10 ×
 * atLeast}. A grant never exceeds {@code available} unless {@code available < atLeast}, which is a
 * refusal ({@link #fits}).
 */
public final class LeaseSizing {
  /** Below this many request slices left, every lease is one slice. */
  public static final long SLICE_THRESHOLD = 10;
  /** With several nodes, one lease takes at most this fraction (1/n) of what is available. */
  public static final long SHARE_DIVISOR = 4;

  private LeaseSizing() {}

  /** Whether a request needing {@code atLeast} fits in {@code available}. */
  public static boolean fits(long atLeast, long available) {
    return available >= atLeast;
  }

  /**
   * The grant for one dimension; only meaningful when {@link #fits} holds.
   *
   * @param contended whether more than one node holds (or asks for) leases on the tenant
   */
  public static long size(long want, long atLeast, long available, boolean contended) {
    if (!fits(atLeast, available)) {
      return Math.max(0, available);
    }
    if (available < saturatedTimes(atLeast, SLICE_THRESHOLD)) {
      return atLeast;
    }
    long grant = Math.min(Math.max(want, atLeast), available);
    if (contended) {
      grant = Math.min(grant, Math.max(atLeast, available / SHARE_DIVISOR));
    }
    return grant;
  }

  private static long saturatedTimes(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return low;
    }
    return a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
  }
}
