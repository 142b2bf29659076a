package io.tollgate.bench;

/** The measured workloads: closed loops of chat completions. */
enum Workload {
  NON_STREAMING_1("non-streaming, 1 connection", 1, false),
  NON_STREAMING_16("non-streaming, 16 connections", 16, false),
  STREAMING_TTFB_1("streaming time to first byte, 1 connection", 1, true);

  final String title;
  final int connections;
  final boolean streaming;

  Workload(String title, int connections, boolean streaming) {
    this.title = title;
    this.connections = connections;
    this.streaming = streaming;
  }
}
