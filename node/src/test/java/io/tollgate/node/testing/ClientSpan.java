package io.tollgate.node.testing;

import java.time.Instant;

/** A call as its client saw it: sent at one instant, its whole answer there at another (the client's clock). */
public interface ClientSpan {
  Instant sentAt();

  Instant doneAt();
}
