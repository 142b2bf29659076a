package io.tollgate.node.proxy;

/** Which provider answers are worth another attempt (elsewhere or later) and which are final. */
final class UpstreamStatus {
  private UpstreamStatus() {}

  /** Rate limits, overload, timeouts and server errors: the same request may succeed elsewhere or later. */
  static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }
}
