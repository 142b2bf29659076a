package io.tollgate.node.proxy;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * No deployment of the model may take the call now (circuits open, tenant policy, provider limits).
 * The tenant is told only that and when to come back: which deployments were left out and why
 * (deployment ids, operators' circuit reasons) is for operators (a debug log line, the admin dry run).
 */
public final class NoRouteAvailable extends RuntimeException {
  private final GatewayException error;
  private final Duration retryAfter;

  NoRouteAvailable(String model, Duration retryAfter) {
    super(null, null, false, false);
    this.error = new GatewayException(ErrorKind.UNAVAILABLE,
        "No deployment of the model '" + model + "' can take the call now; retry later.", "model", "no_healthy_deployment");
    this.retryAfter = retryAfter;
  }


  public GatewayException error() {
    return error;
  }

  /** A {@code retry-after} (whole seconds, at least 1) when a circuit's cool-down says when to come back. */
  public List<HttpHeader> headers() {
    if (retryAfter.isZero() || retryAfter.isNegative()) {
      return List.of();
    }
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return List.of(RawHeader.create("retry-after", Long.toString(seconds)));
  }
}
