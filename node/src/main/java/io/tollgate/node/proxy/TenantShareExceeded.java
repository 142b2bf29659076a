package io.tollgate.node.proxy;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The tenant already has its whole share of every candidate deployment's provider connections in
 * flight on this node ({@link TenantShares}): 429 with a {@code retry-after}, while other tenants'
 * calls still go through.
 */
public final class TenantShareExceeded extends RuntimeException {
  private static final GatewayException ERROR = new GatewayException(ErrorKind.RATE_LIMITED,
      "Too many calls of this tenant are in flight to the model's providers; retry when some have finished.",
      null, "tenant_concurrency_exceeded");
  private static final List<HttpHeader> HEADERS = List.of(RawHeader.create("retry-after", "1"));

  TenantShareExceeded() {
    super(null, null, false, false);
  }

  public GatewayException error() {
    return ERROR;
  }

  public List<HttpHeader> headers() {
    return HEADERS;
  }
}
