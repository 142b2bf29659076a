package io.tollgate.fake;

/** Fails a response stream on purpose so the server aborts the connection mid-body. */
final class StreamCut extends RuntimeException {
  StreamCut() {
    super("fake provider cut the stream", null, false, false);
  }
}
