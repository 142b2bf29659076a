package io.tollgate.bench;

import java.util.List;

/** The measured workloads: closed loops of chat completions. */
enum Workload {
  NON_STREAMING_1("non-streaming, 1 connection", 1, false),
  NON_STREAMING_16("non-streaming, 16 connections", 16, false),
  STREAMING_TTFB_1("streaming time to first byte, 1 connection", 1, true),
  NON_STREAMING_64("non-streaming, 64 connections", 64, false);

  /** What the gateway adds over calling the provider directly. */
  static final List<Workload> GATEWAY_VS_DIRECT =
      List.of(NON_STREAMING_1, NON_STREAMING_16, NON_STREAMING_64, STREAMING_TTFB_1);
  /** What admission and settlement against budgets add over a tenant without limits. */
  static final List<Workload> BUDGETS = List.of(NON_STREAMING_1, NON_STREAMING_64);

  final String title;
  final int connections;
  final boolean streaming;

  Workload(String title, int connections, boolean streaming) {
    this.title = title;
    this.connections = connections;
    this.streaming = streaming;
  }

  static int maxConnections() {
    int max = 1;
    for (Workload w : values()) {
      max = Math.max(max, w.connections);
    }
    return max;
  }
}
