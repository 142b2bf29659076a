package io.tollgate.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last {@code capacity} requests, lock-free; oldest dropped first. Also counts every request per
 * upstream model, without a bound on how many, until {@link #clear}.
 */
final class RequestLog {
  private final int capacity;
  private final ConcurrentLinkedDeque<RecordedRequest> entries = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final ConcurrentHashMap<String, LongAdder> perModel = new ConcurrentHashMap<>();

  RequestLog(int capacity) {
    this.capacity = capacity;
  }

  void add(RecordedRequest r) {
    if (r.model() != null) {
      perModel.computeIfAbsent(r.model(), m -> new LongAdder()).increment();
    }
    entries.addLast(r);
    if (size.incrementAndGet() > capacity && entries.pollFirst() != null) {
      size.decrementAndGet();
    }
  }

  List<RecordedRequest> snapshot() {
    return List.copyOf(new ArrayList<>(entries));
  }

  long count(String model) {
    LongAdder n = perModel.get(model);
    return n == null ? 0 : n.sum();
  }

  void clear() {
    while (entries.pollFirst() != null) {
      size.decrementAndGet();
    }
    perModel.clear();
  }
}
