package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitsValidation;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.Scope;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.protocol.GatewayException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tenant's limits as admin API JSON, both ways:
 *
 * <pre>{@code
 * {"time_zone":"Europe/Berlin","fail_mode":"closed","overdraft_usd":"0",
 *  "limits":[{"scope":"tenant","kind":"usd","period":"monthly","amount":"100.00"},
 *            {"scope":"key:key_abc","kind":"requests_per_minute","amount":60}]}
 * }</pre>
 *
 * Kinds: {@code usd} (amount in dollars, a decimal string or number, at most 6 decimals),
 * {@code tokens} (per {@code daily|monthly|lifetime} period), {@code requests_per_minute} and
 * {@code tokens_per_minute} (no period: the UTC minute). Every problem is a 400 whose
 * {@code param} names the field, e.g. {@code limits[1].kind}.
 */
public final class LimitsJson {
  /** Team ids as keys carry them. */
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern KEY_ID = Pattern.compile("\\S{1,200}");

  private LimitsJson() {}

  /** Reads a {@code PUT limits} body. */
  public static TenantLimits parse(JsonNode body) {
    String zone = zone(body.get("time_zone"));
    FailMode failMode = failMode(body.get("fail_mode"));
    JsonNode overdraft = body.get("overdraft_usd");
    long overdraftMicros = overdraft == null || overdraft.isNull() ? 0 : UsdAmounts.micros(overdraft, "overdraft_usd");
    JsonNode list = body.get("limits");
    if (list == null || !list.isArray()) {
      throw GatewayException.invalid("limits", "'limits' is required and must be an array (empty to remove every limit).");
    }
    List<Limit> limits = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      limits.add(limit(list.get(i), "limits[" + i + "]"));
    }
    TenantLimits parsed = new TenantLimits(zone, failMode, overdraftMicros, limits);
    Optional<String> problem = LimitsValidation.problem(parsed);
    if (problem.isPresent()) {
      throw GatewayException.invalid("limits", "Invalid limits: " + problem.get() + ".");
    }
    return parsed;
  }

  /** The stored limits of {@code tenantId}, in the shape {@link #parse} reads. */
  public static ObjectNode render(String tenantId, TenantLimits limits) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("tenant_id", tenantId)
        .put("time_zone", limits.zoneId())
        .put("fail_mode", limits.failMode().name().toLowerCase(Locale.ROOT))
        .put("overdraft_usd", UsdAmounts.usd(limits.overdraftMicros()));
    ArrayNode list = o.putArray("limits");
    for (Limit limit : limits.limits()) {
      ObjectNode l = list.addObject().put("scope", limit.scope()).put("kind", name(limit.kind()));
      if (!limit.kind().perMinute()) {
        l.put("period", name(limit.period()));
      }
      if (limit.kind() == LimitKind.USD) {
        l.put("amount", UsdAmounts.usd(limit.amount())).put("amount_micros", limit.amount());
      } else {
        l.put("amount", limit.amount());
      }
    }
    return o;
  }

  /** Lower-case wire name of an enum constant ({@code requests_per_minute}, {@code monthly}). */
  public static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static Limit limit(JsonNode node, String at) {
    if (node == null || !node.isObject()) {
      throw GatewayException.invalid(at, "'" + at + "' must be an object with scope, kind, period and amount.");
    }
    String scope = scope(node.get("scope"), at + ".scope");
    LimitKind kind = kind(node.get("kind"), at + ".kind");
    Period period = period(node.get("period"), kind, at + ".period");
    long amount = kind == LimitKind.USD
        ? UsdAmounts.micros(node.get("amount"), at + ".amount")
        : count(node.get("amount"), at + ".amount");
    return new Limit(scope, kind, period, amount);
  }

  private static String zone(JsonNode node) {
    if (node == null || node.isNull()) {
      return "UTC";
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw GatewayException.invalid("time_zone", "'time_zone' must be a time zone id such as \"Europe/Berlin\" or \"UTC\".");
    }
    try {
      return ZoneId.of(node.asText().trim()).getId();
    } catch (DateTimeException e) {
      throw GatewayException.invalid("time_zone", "Unknown time zone '" + node.asText() + "'.");
    }
  }

  private static FailMode failMode(JsonNode node) {
    if (node == null || node.isNull()) {
      return FailMode.CLOSED;
    }
    String text = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
    return switch (text) {
      case "closed" -> FailMode.CLOSED;
      case "open" -> FailMode.OPEN;
      default -> throw GatewayException.invalid("fail_mode", "'fail_mode' must be \"closed\" or \"open\".");
    };
  }

  private static String scope(JsonNode node, String param) {
    String scope = node != null && node.isTextual() ? node.asText().trim() : "";
    boolean valid = scope.equals(Scope.TENANT)
        || scope.startsWith(Scope.TEAM_PREFIX) && TEAM.matcher(scope.substring(Scope.TEAM_PREFIX.length())).matches()
        || scope.startsWith(Scope.KEY_PREFIX) && KEY_ID.matcher(scope.substring(Scope.KEY_PREFIX.length())).matches();
    if (!valid) {
      throw GatewayException.invalid(param, "'" + param + "' must be \"tenant\", \"team:<team>\" or \"key:<key_id>\".");
    }
    return scope;
  }

  private static LimitKind kind(JsonNode node, String param) {
    String text = node != null && node.isTextual() ? node.asText().trim().toUpperCase(Locale.ROOT) : "";
    for (LimitKind kind : LimitKind.values()) {
      if (kind.name().equals(text)) {
        return kind;
      }
    }
    throw GatewayException.invalid(param,
        "'" + param + "' must be one of usd, tokens, requests_per_minute, tokens_per_minute.");
  }

  private static Period period(JsonNode node, LimitKind kind, String param) {
    boolean absent = node == null || node.isNull();
    String text = absent ? "" : node.isTextual() ? node.asText().trim().toUpperCase(Locale.ROOT) : "?";
    if (kind.perMinute()) {
      if (absent || text.equals("MINUTE")) {
        return Period.MINUTE;
      }
      throw GatewayException.invalid(param, name(kind) + " is counted per UTC minute; leave out '" + param + "'.");
    }
    return switch (text) {
      case "DAILY" -> Period.DAILY;
      case "MONTHLY" -> Period.MONTHLY;
      case "LIFETIME" -> Period.LIFETIME;
      default -> throw GatewayException.invalid(param,
          "'" + param + "' is required for " + name(kind) + " and must be daily, monthly or lifetime.");
    };
  }

  private static long count(JsonNode node, String param) {
    if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    if (node != null && node.isTextual() && node.asText().trim().matches("\\d{1,18}")) {
      return Long.parseLong(node.asText().trim());
    }
    throw GatewayException.invalid(param, "'" + param + "' must be a whole number, zero or more.");
  }
}
