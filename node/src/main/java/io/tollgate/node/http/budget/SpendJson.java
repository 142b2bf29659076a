package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.SpendReport;
import java.time.Instant;

/**
 * A tenant's {@link SpendReport} as admin API JSON: per limit its current window, the limit, what
 * is settled ({@code spent}), what open leases still hold ({@code held}) and what is left
 * ({@code available}); USD amounts in micro-dollars and, under {@code *_usd}, as decimal strings.
 */
public final class SpendJson {
  private SpendJson() {}

  public static ObjectNode render(String tenantId, Instant asOf, SpendReport report) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("object", "list")
        .put("tenant_id", tenantId)
        .put("as_of", asOf.toString());
    ArrayNode data = o.putArray("data");
    report.lines().forEach(line -> data.add(line(line)));
    ArrayNode expired = o.putArray("expired_lease_ids");
    report.expiredLeaseIds().forEach(expired::add);
    return o;
  }

  private static ObjectNode line(SpendLine l) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("scope", l.scope())
        .put("kind", LimitsJson.name(l.kind()))
        .put("period", LimitsJson.name(l.period()))
        .put("window_start", l.windowStart().toString())
        .put("window_end", l.windowEnd() == null ? null : l.windowEnd().toString())
        .put("limit", l.limit())
        .put("spent", l.spent())
        .put("held", l.held())
        .put("available", l.available());
    if (l.kind() == LimitKind.USD) {
      o.put("limit_usd", UsdAmounts.usd(l.limit()))
          .put("spent_usd", UsdAmounts.usd(l.spent()))
          .put("held_usd", UsdAmounts.usd(l.held()))
          .put("available_usd", UsdAmounts.usd(l.available()));
    }
    return o;
  }
}
