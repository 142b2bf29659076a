package io.tollgate.node.http.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.usage.Price;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Usage and cost of audit records, summed per period (UTC day or month) and per group (any of key,
 * model, team; none: the whole tenant). Fed one record at a time by a stream fold; not thread-safe.
 */
public final class UsageRollup {

  /** The period a row covers, labelled {@code 2025-03-04} (day) or {@code 2025-03} (month). */
  public enum Period {
    DAY, MONTH;

    String label(AuditRecord r) {
      String day = r.day().toString();
      return this == DAY ? day : day.substring(0, 7);
    }

    public static Period parse(String value) {
      if (value == null || value.isBlank()) {
        return DAY;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "day" -> DAY;
        case "month" -> MONTH;
        default -> throw GatewayException.invalid("period", "'period' must be day or month.");
      };
    }
  }

  /** What a row may be grouped by, with its column name. */
  public enum Dimension {
    KEY("key_id"), MODEL("model"), TEAM("team");

    final String column;

    Dimension(String column) {
      this.column = column;
    }

    String of(AuditRecord r) {
      return switch (this) {
        case KEY -> r.keyId();
        case MODEL -> r.logicalModel();
        case TEAM -> r.team();
      };
    }

    /** {@code group_by=key,model}: the listed dimensions in column order (key, model, team). */
    public static List<Dimension> parse(String value) {
      List<Dimension> dims = new ArrayList<>();
      if (value == null || value.isBlank()) {
        return dims;
      }
      for (String part : value.split(",")) {
        String p = part.trim().toLowerCase(Locale.ROOT);
        Dimension d = switch (p) {
          case "key", "key_id" -> KEY;
          case "model" -> MODEL;
          case "team" -> TEAM;
          default -> throw GatewayException.invalid("group_by", "'group_by' takes key, model and team, comma-separated.");
        };
        if (!dims.contains(d)) {
          dims.add(d);
        }
      }
      dims.sort(Comparator.naturalOrder());
      return dims;
    }
  }

  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

  private record Group(String period, List<String> values) implements Comparable<Group> {
    @Override
    public int compareTo(Group o) {
      int c = period.compareTo(o.period);
      for (int i = 0; c == 0 && i < values.size(); i++) {
        c = NULLS_FIRST.compare(values.get(i), o.values.get(i));
      }
      return c;
    }
  }

  private static final class Totals {
    long requests;
    long failedRequests;
    long inputTokens;
    long outputTokens;
    long cachedTokens;
    long cacheWriteTokens;
    long costMicros;

    void add(AuditRecord r) {
      requests++;
      failedRequests += r.status() >= 400 ? 1 : 0;
      inputTokens += r.inputTokens();
      outputTokens += r.outputTokens();
      cachedTokens += r.cachedTokens();
      cacheWriteTokens += r.cacheWriteTokens();
      costMicros += r.costMicros();
    }

    void add(Totals t) {
      requests += t.requests;
      failedRequests += t.failedRequests;
      inputTokens += t.inputTokens;
      outputTokens += t.outputTokens;
      cachedTokens += t.cachedTokens;
      cacheWriteTokens += t.cacheWriteTokens;
      costMicros += t.costMicros;
    }

    ObjectNode into(ObjectNode o) {
      return o.put("requests", requests)
          .put("failed_requests", failedRequests)
          .put("input_tokens", inputTokens)
          .put("output_tokens", outputTokens)
          .put("cached_tokens", cachedTokens)
          .put("cache_write_tokens", cacheWriteTokens)
          .put("cost_micros", costMicros)
          .put("cost_usd", Price.usd(costMicros));
    }
  }

  private static final List<String> TOTAL_COLUMNS = List.of(
      "requests", "failed_requests", "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens",
      "cost_micros", "cost_usd");

  private final String tenantId;
  private final Period period;
  private final List<Dimension> dimensions;
  private final TreeMap<Group, Totals> groups = new TreeMap<>();

  public UsageRollup(String tenantId, Period period, List<Dimension> dimensions) {
    this.tenantId = tenantId;
    this.period = period;
    this.dimensions = List.copyOf(dimensions);
  }

  public UsageRollup add(AuditRecord r) {
    List<String> values = new ArrayList<>(dimensions.size());
    for (Dimension d : dimensions) {
      values.add(d.of(r));
    }
    groups.computeIfAbsent(new Group(period.label(r), values), g -> new Totals()).add(r);
    return this;
  }

  /** The columns of {@link #rows}, in order: the CSV export's header. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>(List.of("period", "tenant_id"));
    dimensions.forEach(d -> columns.add(d.column));
    columns.addAll(TOTAL_COLUMNS);
    return columns;
  }

  /** One row per period and group, oldest period first, then by group values (absent first). */
  public List<ObjectNode> rows() {
    List<ObjectNode> rows = new ArrayList<>(groups.size());
    groups.forEach((g, t) -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("period", g.period()).put("tenant_id", tenantId);
      for (int i = 0; i < dimensions.size(); i++) {
        o.put(dimensions.get(i).column, g.values().get(i));
      }
      rows.add(t.into(o));
    });
    return rows;
  }

  /** The sum of every row. */
  public ObjectNode total() {
    Totals all = new Totals();
    groups.values().forEach(all::add);
    return all.into(JsonNodeFactory.instance.objectNode().put("tenant_id", tenantId));
  }

  public Period period() {
    return period;
  }

  public List<Dimension> dimensions() {
    return dimensions;
  }
}
