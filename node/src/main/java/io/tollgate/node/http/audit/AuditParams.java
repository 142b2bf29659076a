package io.tollgate.node.http.audit;

import io.tollgate.persistence.audit.AuditFilter;
import io.tollgate.persistence.audit.AuditRange;
import io.tollgate.protocol.GatewayException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The query parameters of the audit and usage endpoints.
 *
 * <ul>
 *   <li>{@code day=YYYY-MM-DD}: that UTC day; or {@code from} / {@code to}, each a UTC date or an
 *       ISO-8601 instant. {@code from} is inclusive; {@code to} is exclusive as an instant and
 *       includes the whole day as a date. Defaults: {@code to} = the end of today (UTC),
 *       {@code from} = the start of {@code to}'s day. At most {@value #MAX_DAYS} days, all between
 *       {@link #FIRST_DAY} and {@link #LAST_DAY}.
 *   <li>Filters: {@code key} (key id), {@code model} (logical model), {@code team}, {@code status}
 *       ({@code 200}, or a class such as {@code 4xx}), {@code deployment} (the deployment that
 *       served the call).
 *   <li>{@code limit}, {@code page_token}, {@code format=json|csv}.
 * </ul>
 */
public final class AuditParams {
  public static final int MAX_DAYS = 366;
  /** Dates and instants outside these days are refused: no record is older, and day arithmetic stays in range. */
  public static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
  public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  private AuditParams() {}

  public static AuditRange range(Map<String, String> params, Instant now) {
    String day = params.get("day");
    String from = params.get("from");
    String to = params.get("to");
    if (day != null) {
      if (from != null || to != null) {
        throw GatewayException.invalid("day", "Pass either 'day' or 'from'/'to', not both.");
      }
      LocalDate d = date(day, "day");
      return checked(AuditRange.days(d, d));
    }
    Instant end = to == null ? startOf(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1)) : bound(to, "to", true);
    Instant start = from == null ? startOf(LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC)) : bound(from, "from", false);
    if (!start.isBefore(end)) {
      throw GatewayException.invalid("from", "'from' must be before 'to'.");
    }
    return checked(new AuditRange(start, end));
  }

  public static AuditFilter filter(Map<String, String> params) {
    AuditFilter f = AuditFilter.ALL;
    if (present(params, "key")) {
      f = f.withKey(params.get("key"));
    }
    if (present(params, "model")) {
      f = f.withModel(params.get("model"));
    }
    if (present(params, "team")) {
      f = f.withTeam(params.get("team"));
    }
    if (present(params, "deployment")) {
      f = f.withDeployment(params.get("deployment"));
    }
    if (present(params, "status")) {
      String s = params.get("status").trim().toLowerCase(java.util.Locale.ROOT);
      if (s.matches("[1-5]xx")) {
        int base = (s.charAt(0) - '0') * 100;
        f = f.withStatus(base, base + 99);
      } else if (s.matches("[0-9]{3}")) {
        int status = Integer.parseInt(s);
        f = f.withStatus(status, status);
      } else {
        throw GatewayException.invalid("status", "'status' must be an HTTP status such as 200 or a class such as 5xx.");
      }
    }
    return f;
  }

  /** {@code limit}, between 1 and {@code max}; {@code fallback} when absent. */
  public static int limit(Map<String, String> params, int fallback, int max) {
    String v = params.get("limit");
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw GatewayException.invalid("limit", "'limit' must be a whole number from 1 to " + max + ".");
  }

  /** True for {@code format=csv}; false for {@code json} or no format. */
  public static boolean csv(Map<String, String> params) {
    String f = params.getOrDefault("format", "json").trim().toLowerCase(java.util.Locale.ROOT);
    return switch (f) {
      case "csv" -> true;
      case "json" -> false;
      default -> throw GatewayException.invalid("format", "'format' must be json or csv.");
    };
  }

  private static boolean present(Map<String, String> params, String name) {
    String v = params.get(name);
    return v != null && !v.isBlank();
  }

  private static AuditRange checked(AuditRange r) {
    if (r.dayCount() > MAX_DAYS) {
      throw GatewayException.invalid("from", "A query may span at most " + MAX_DAYS + " days.");
    }
    return r;
  }

  private static Instant bound(String value, String name, boolean end) {
    if (value.length() == 10) {
      LocalDate d = date(value, name);
      return startOf(end ? d.plusDays(1) : d);
    }
    Instant instant;
    try {
      instant = Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid(name, "'" + name + "' must be a date (YYYY-MM-DD) or an instant (2025-03-04T12:00:00Z).");
    }
    if (instant.isBefore(startOf(FIRST_DAY)) || !instant.isBefore(startOf(LAST_DAY))) {
      throw outOfRange(name);
    }
    return instant;
  }

  private static LocalDate date(String value, String name) {
    LocalDate d;
    try {
      d = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid(name, "'" + name + "' must be a date: YYYY-MM-DD.");
    }
    if (d.isBefore(FIRST_DAY) || !d.isBefore(LAST_DAY)) {
      throw outOfRange(name);
    }
    return d;
  }

  private static GatewayException outOfRange(String name) {
    return GatewayException.invalid(name, "'" + name + "' must lie between " + FIRST_DAY + " and " + LAST_DAY.minusDays(1) + ".");
  }

  private static Instant startOf(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
