package io.tollgate.node.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the distinct values of one label: the first {@code limit} distinct values keep their
 * name for the life of the process, every later one becomes {@value #OTHER}. Thread-safe; the
 * common case (a value already admitted) takes no lock.
 */
final class FirstSeenValues {
  static final String OTHER = "other";

  private final int limit;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  FirstSeenValues(int limit) {
    this.limit = Math.max(0, limit);
  }

  String label(String value) {
    if (admitted.contains(value)) {
      return value;
    }
    synchronized (this) {
      if (admitted.contains(value) || admitted.size() < limit && admitted.add(value)) {
        return value;
      }
    }
    return OTHER;
  }
}
