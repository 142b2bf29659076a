package io.tollgate.persistence.budget;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * When a tenant's time zone changes, its current daily and monthly windows continue in the new
 * zone's current windows (spend, holds and leases move with them), so a zone change never starts
 * a budget again from zero.
 */
final class WindowMoves {
  private WindowMoves() {}

  /** For every daily or monthly series among {@code windows}: its window at {@code now} in {@code from} → the one in {@code to}. */
  static Map<WindowKey, WindowKey> of(Collection<WindowKey> windows, Instant now, ZoneId from, ZoneId to) {
    Map<WindowKey, WindowKey> moves = new HashMap<>();
    if (from.equals(to)) {
      return moves;
    }
    for (WindowKey w : windows) {
      if (w.period() != Period.DAILY && w.period() != Period.MONTHLY) {
        continue;
      }
      long oldStart = Windows.startOf(w.period(), now, from).toEpochMilli();
      long newStart = Windows.startOf(w.period(), now, to).toEpochMilli();
      if (w.windowStartEpochMillis() == oldStart && oldStart != newStart) {
        moves.put(w, new WindowKey(w.scope(), w.kind(), w.period(), newStart));
      }
    }
    return moves;
  }

  /** {@code amounts} with moved windows renamed (amounts meeting under one name are added). */
  static Map<WindowKey, Long> rekey(Map<WindowKey, Long> amounts, Map<WindowKey, WindowKey> moves) {
    if (moves.isEmpty()) {
      return amounts;
    }
    Map<WindowKey, Long> next = new HashMap<>();
    amounts.forEach((w, v) -> next.merge(moves.getOrDefault(w, w), v, Availability::saturatedAdd));
    return next;
  }
}
