package io.tollgate.node;

import com.typesafe.config.Config;
import java.time.Duration;

/** The node's own settings, read once from {@code tollgate.*} at start. */
public record NodeSettings(
    String httpHost,
    int httpPort,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration upstreamResponseTimeout,
    Duration upstreamIdleTimeout,
    String adminToken,
    String region) {

  public static NodeSettings from(Config config) {
    Config t = config.getConfig("tollgate");
    return new NodeSettings(
        t.getString("http.host"),
        t.getInt("http.port"),
        t.getBytes("http.max-body-bytes"),
        t.getDuration("http.request-timeout"),
        t.getDuration("upstream.response-timeout"),
        t.getDuration("upstream.idle-timeout"),
        t.getString("admin-token"),
        t.getString("node.region"));
  }
}
