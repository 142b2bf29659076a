package io.tollgate.persistence.audit;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.List;

/**
 * The statements of table {@code calls_by_lease} (see {@code ddl/tollgate.cql}): a call's admission
 * row, its final columns, and the reading of one lease's partition. Every write is an idempotent
 * upsert, so a retried or repeated write changes nothing.
 */
final class LeaseCallsTable {
  /** Reconciliation writes this status and error type for a call whose node was lost before it finished. */
  static final int LOST_STATUS = 500;
  static final String LOST_ERROR = "node_lost";

  private LeaseCallsTable() {}

  /** The statements to prepare, in the order {@link #admit}, {@link #finish}, {@link #ofLease} take them. */
  static List<String> cql(String keyspace) {
    String table = keyspace + ".calls_by_lease";
    return List.of(
        "INSERT INTO " + table + " (tenant_id, lease_id, request_id, time, key_id, team, client_api, logical_model,"
            + " worst_usd_micros, worst_tokens, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "UPDATE " + table + " SET final_cost_micros = ?, final_tokens = ?, final_status = ?, final_estimated = ?,"
            + " lost = ? WHERE tenant_id = ? AND lease_id = ? AND request_id = ?",
        "SELECT request_id, time, key_id, team, client_api, logical_model, worst_usd_micros, worst_tokens,"
            + " final_cost_micros, final_tokens, lost FROM " + table + " WHERE tenant_id = ? AND lease_id = ?");
  }

  static BoundStatement admit(PreparedStatement p, CallAdmission a, String node, ConsistencyLevel cl) {
    BoundStatementBuilder b = p.boundStatementBuilder()
        .setString("tenant_id", a.tenantId())
        .setString("lease_id", a.leaseId())
        .setString("request_id", a.requestId())
        .setInstant("time", a.time())
        .setLong("worst_usd_micros", a.worstUsdMicros())
        .setLong("worst_tokens", a.worstTokens())
        .setString("node", node);
    b = setIfPresent(b, "key_id", a.keyId());
    b = setIfPresent(b, "team", a.team());
    b = setIfPresent(b, "client_api", a.clientApi());
    b = setIfPresent(b, "logical_model", a.logicalModel());
    return b.setIdempotence(true).setConsistencyLevel(cl).build();
  }

  /** The final columns of {@code r}'s row; {@code r.leaseId()} must not be null. */
  static BoundStatement finish(PreparedStatement p, AuditRecord r, ConsistencyLevel cl) {
    return finish(p, r, cl, false);
  }

  /** The final columns of a call whose node was lost, billed at its worst case by reconciliation. */
  static BoundStatement finishLost(PreparedStatement p, AuditRecord r, ConsistencyLevel cl) {
    return finish(p, r, cl, true);
  }

  private static BoundStatement finish(PreparedStatement p, AuditRecord r, ConsistencyLevel cl, boolean lost) {
    BoundStatementBuilder b = p.boundStatementBuilder()
        .setLong("final_cost_micros", r.costMicros())
        .setLong("final_tokens", r.inputTokens() + r.outputTokens())
        .setInt("final_status", r.status())
        .setBoolean("final_estimated", r.usageEstimated())
        .setString("tenant_id", r.tenantId())
        .setString("lease_id", r.leaseId())
        .setString("request_id", r.requestId());
    // Left unset (no cell written) for the calls that did finish.
    return (lost ? b.setBoolean("lost", true) : b).setIdempotence(true).setConsistencyLevel(cl).build();
  }

  static boolean finished(Row row) {
    return !row.isNull("final_cost_micros");
  }

  static LeaseTotals finalTotals(Row row) {
    return new LeaseTotals(row.getLong("final_cost_micros"), row.getLong("final_tokens"), 1, row.getBoolean("lost") ? 1 : 0);
  }

  static CallAdmission admission(String tenantId, String leaseId, Row row) {
    return new CallAdmission(tenantId, leaseId, row.getString("request_id"), row.getInstant("time"),
        row.getString("key_id"), row.getString("team"), row.getString("client_api"), row.getString("logical_model"),
        row.getLong("worst_usd_micros"), row.getLong("worst_tokens"));
  }

  /**
   * The audit record of a call that never finished: billed at the worst case reserved for it, marked
   * estimated. Same primary key as the record its node would have written.
   */
  static AuditRecord lost(CallAdmission a) {
    return new AuditRecord(a.requestId(), a.time(), a.tenantId(), a.keyId(), a.clientApi(), a.logicalModel(),
        null, null, 0, a.worstTokens(), 0, 0, true, a.worstUsdMicros(), 0, -1, LOST_STATUS, LOST_ERROR, false,
        a.team(), a.leaseId(), null, null, 0);
  }

  private static BoundStatementBuilder setIfPresent(BoundStatementBuilder b, String column, String value) {
    return value == null ? b : b.setString(column, value);
  }
}
