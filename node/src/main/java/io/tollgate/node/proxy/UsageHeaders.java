package io.tollgate.node.proxy;

import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Response headers that tell the caller what the call cost and which deployment, in which region, served it. */
final class UsageHeaders {
  /** Region named for a global deployment (one endpoint serving every region). */
  static final String GLOBAL = "global";

  private UsageHeaders() {}

  static List<HttpHeader> of(Usage usage, long costMicros, ModelRoute route, int attempts) {
    List<HttpHeader> headers = new ArrayList<>(8);
    headers.add(RawHeader.create("x-tollgate-cost-usd", Price.usd(costMicros)));
    headers.add(RawHeader.create("x-tollgate-input-tokens", Long.toString(usage.totalInputTokens())));
    headers.add(RawHeader.create("x-tollgate-output-tokens", Long.toString(usage.outputTokens())));
    headers.add(RawHeader.create("x-tollgate-cached-tokens", Long.toString(usage.cacheReadTokens())));
    headers.addAll(served(route, attempts));
    return headers;
  }

  /** Who served the call: provider, deployment, its region and the attempts it took. */
  static List<HttpHeader> served(ModelRoute route, int attempts) {
    return List.of(
        RawHeader.create("x-tollgate-provider", route.endpoint().name()),
        RawHeader.create("x-tollgate-deployment", route.deploymentId()),
        RawHeader.create("x-tollgate-region", region(route)),
        RawHeader.create("x-tollgate-attempts", Integer.toString(attempts)));
  }

  private static String region(ModelRoute route) {
    return route.region().isEmpty() ? GLOBAL : route.region();
  }
}
