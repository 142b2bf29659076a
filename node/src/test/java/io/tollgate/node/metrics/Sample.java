package io.tollgate.node.metrics;

import java.util.Map;

/** One line of a Prometheus text scrape: series name, labels, value. */
record Sample(String name, Map<String, String> labels, double value) {

  boolean has(Map<String, String> wanted) {
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
