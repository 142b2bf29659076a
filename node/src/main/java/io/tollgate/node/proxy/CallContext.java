package io.tollgate.node.proxy;

import io.tollgate.node.auth.Caller;
import io.tollgate.protocol.ClientApi;
import java.time.Instant;

/** What is known about one call from the moment it arrives: who, which API, when. */
public record CallContext(String requestId, ClientApi api, Caller caller, Instant startedAt, long startNanos) {

  public long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
