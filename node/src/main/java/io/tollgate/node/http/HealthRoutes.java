package io.tollgate.node.http;

import java.util.function.BooleanSupplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Kubernetes probes: {@code /alive} while the process serves HTTP, {@code /ready} once the key
 * tables and the audit can be used.
 */
public final class HealthRoutes extends AllDirectives {
  private final BooleanSupplier ready;

  public HealthRoutes(BooleanSupplier ready) {
    this.ready = ready;
  }

  public Route routes() {
    return concat(
        path("alive", () -> get(() -> complete(StatusCodes.OK, "alive"))),
        path("ready", () -> get(() -> ready.getAsBoolean()
            ? complete(StatusCodes.OK, "ready")
            : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready"))));
  }
}
