package io.tollgate.node.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admissions counted by the client's own clock, not by anything the gateway says: a call was
 * admitted somewhere between the moment the client sent it and the moment it had the answer. A call
 * whose whole round trip lies in one UTC minute was surely admitted in it; one that straddles a
 * minute's end was admitted in one of the two minutes.
 */
public final class ClientMinutes {
  private ClientMinutes() {}

  /** Per UTC minute, the admitted calls whose whole round trip lies in it. */
  public static Map<Instant, Long> surelyIn(List<? extends ClientSpan> admitted) {
    Map<Instant, Long> out = new TreeMap<>();
    for (ClientSpan c : admitted) {
      Instant minute = minuteOf(c.sentAt());
      if (minute.equals(minuteOf(c.doneAt()))) {
        out.merge(minute, 1L, Long::sum);
      }
    }
    return out;
  }

  /** Per UTC minute m, the admitted calls whose whole round trip lies in m and the minute after it. */
  public static Map<Instant, Long> surelyInTwo(List<? extends ClientSpan> admitted) {
    Map<Instant, Long> out = new TreeMap<>();
    for (ClientSpan c : admitted) {
      Instant first = minuteOf(c.sentAt());
      Instant last = minuteOf(c.doneAt());
      if (last.equals(first) || last.equals(first.plusSeconds(60))) {
        out.merge(first, 1L, Long::sum);
        if (last.equals(first)) {
          out.merge(first.minusSeconds(60), 1L, Long::sum);
        }
      }
    }
    return out;
  }

  public static Instant minuteOf(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES);
  }
}
