package io.tollgate.node.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code tollgate.metrics.tenant-label} rule: {@code all} keeps every tenant id, {@code top-n}
 * keeps the first N distinct tenants seen and labels the rest {@code other}, {@code off} drops the
 * tenant label.
 */
final class TenantLabels {
  static final String NONE = "none";

  private enum Mode { ALL, TOP_N, OFF }

  private final Mode mode;
  private final FirstSeenValues firstSeen;

  private TenantLabels(Mode mode, int topN) {
    this.mode = mode;
    this.firstSeen = new FirstSeenValues(topN);
  }

  static TenantLabels of(String mode, int topN) {
    return switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "all" -> new TenantLabels(Mode.ALL, 0);
      case "top-n", "top_n", "topn" -> new TenantLabels(Mode.TOP_N, topN);
      case "off", "none", "false", "no" -> new TenantLabels(Mode.OFF, 0);
      default -> throw new IllegalArgumentException(
          "tollgate.metrics.tenant-label must be all, top-n or off, not: " + mode);
    };
  }

  /** The tenant label value, or empty when the tenant label is off. */
  Optional<String> label(String tenantId) {
    String id = tenantId == null || tenantId.isBlank() ? NONE : tenantId;
    return switch (mode) {
      case ALL -> Optional.of(id);
      case TOP_N -> Optional.of(firstSeen.label(id));
      case OFF -> Optional.empty();
    };
  }
}
