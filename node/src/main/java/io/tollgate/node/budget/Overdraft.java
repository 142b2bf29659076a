package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Availability;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.persistence.budget.WindowKey;
import io.tollgate.persistence.budget.Windows;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fail-open tenant's overdraft on this node: what it may admit while its budget entity cannot be
 * reached. The allowance is per day in the tenant's zone and per node — the tenant's overdraft
 * divided by the cluster's nodes, so all nodes together stay within it however many outages the
 * day has. What was admitted under it is not given back when its usage settles on a later lease
 * (only the unused part of each reservation is). Each per-minute limit holds too: a node admits
 * at most its share of it.
 */
final class Overdraft {
  private long day = Long.MIN_VALUE;
  private long usedUsd;
  private final Map<WindowKey, Long> minutes = new HashMap<>();

  /** Takes {@code d} from this node's share of the overdraft and of each per-minute limit, if it fits. */
  synchronized boolean tryAdmit(TenantLimits limits, String keyId, String team, Demand d, int nodes, Instant now) {
    ZoneId zone = ZoneId.of(limits.zoneId());
    rollDay(now, zone);
    int n = Math.max(1, nodes);
    long share = limits.overdraftMicros() / n;
    if (d.usdMicros() > share - usedUsd) {
      return false;
    }
    long minuteStart = Windows.startOf(Period.MINUTE, now, zone).toEpochMilli();
    minutes.keySet().removeIf(w -> w.windowStartEpochMillis() < minuteStart);
    List<Limit> perMinute = Availability.applicable(limits.limits(), keyId, team).stream()
        .filter(l -> l.kind().perMinute())
        .toList();
    for (Limit l : perMinute) {
      long used = minutes.getOrDefault(Windows.windowOf(l, now, zone), 0L);
      if (l.kind().of(d) > l.amount() / n - used) {
        return false;
      }
    }
    usedUsd += d.usdMicros();
    for (Limit l : perMinute) {
      minutes.merge(Windows.windowOf(l, now, zone), l.kind().of(d), Long::sum);
    }
    return true;
  }

  /** A call admitted under the overdraft ended: the unused part of its reservation is free again today. */
  synchronized void release(long unusedUsd, Instant now, ZoneId zone) {
    if (unusedUsd > 0 && Windows.startOf(Period.DAILY, now, zone).toEpochMilli() == day) {
      usedUsd = Math.max(0, usedUsd - unusedUsd);
    }
  }

  /** Micro-dollars admitted under the overdraft on this node today. */
  synchronized long usedToday() {
    return usedUsd;
  }

  private void rollDay(Instant now, ZoneId zone) {
    long start = Windows.startOf(Period.DAILY, now, zone).toEpochMilli();
    if (start != day) {
      day = start;
      usedUsd = 0;
    }
  }
}
