package io.tollgate.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** The last {@code capacity} requests, lock-free; oldest dropped first. */
final class RequestLog {
  private final int capacity;
  private final ConcurrentLinkedDeque<RecordedRequest> entries = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  RequestLog(int capacity) {
    this.capacity = capacity;
  }

  void add(RecordedRequest r) {
    entries.addLast(r);
    if (size.incrementAndGet() > capacity && entries.pollFirst() != null) {
      size.decrementAndGet();
    }
  }

  List<RecordedRequest> snapshot() {
    return List.copyOf(new ArrayList<>(entries));
  }

  void clear() {
    while (entries.pollFirst() != null) {
      size.decrementAndGet();
    }
  }
}
