package io.tollgate.node.limits;

import com.typesafe.config.Config;
import io.tollgate.protocol.json.JsonLimits;
import java.time.Duration;

/** {@code tollgate.limits}: what callers may send, read once per node (see {@code tollgate/limits.conf}). */
public record LimitSettings(
    JsonLimits requestJson,
    FieldBounds fields,
    long adminMaxBodyBytes,
    JsonLimits adminJson,
    int rejectionsPerKey,
    int rejectionsPerSource,
    Duration rejectionsPer,
    int maxTracked) {

  public static LimitSettings from(Config config) {
    Config l = config.getConfig("tollgate.limits");
    Config json = l.getConfig("json");
    Config fields = l.getConfig("fields");
    Config admin = l.getConfig("admin");
    Config rejections = l.getConfig("rejections");
    int adminStrings = admin.getInt("max-string-length");
    return new LimitSettings(
        new JsonLimits(json.getInt("max-nesting-depth"), json.getInt("max-number-length"),
            json.getInt("max-string-length"), json.getInt("max-name-length"), json.getLong("max-token-count")),
        new FieldBounds(fields.getInt("max-model-length"), fields.getInt("max-user-length"),
            fields.getInt("max-metadata-entries"), fields.getInt("max-metadata-key-length"),
            fields.getInt("max-metadata-value-length")),
        admin.getBytes("max-body-bytes"),
        new JsonLimits(admin.getInt("max-nesting-depth"), json.getInt("max-number-length"), adminStrings, adminStrings,
            json.getLong("max-token-count")),
        rejections.getInt("per-key"),
        rejections.getInt("per-source"),
        rejections.getDuration("per"),
        rejections.getInt("max-tracked"));
  }
}
