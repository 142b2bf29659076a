package io.tollgate.persistence.audit;

import java.util.Objects;

/**
 * Which audit records a query keeps. A null field matches every record.
 *
 * @param keyId the calling key
 * @param model the logical model the client asked for
 * @param team the calling key's team
 * @param statusMin lowest HTTP status kept (inclusive)
 * @param statusMax highest HTTP status kept (inclusive)
 */
public record AuditFilter(String keyId, String model, String team, Integer statusMin, Integer statusMax) {

  /** Keeps every record. */
  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

  public AuditFilter withKey(String keyId) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax);
  }

  public AuditFilter withModel(String model) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax);
  }

  public AuditFilter withTeam(String team) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax);
  }

  /** Keeps only records whose status lies in [min, max]. */
  public AuditFilter withStatus(int min, int max) {
    return new AuditFilter(keyId, model, team, min, max);
  }

  public boolean matches(AuditRecord r) {
    return (keyId == null || keyId.equals(r.keyId()))
        && (model == null || model.equals(r.logicalModel()))
        && (team == null || team.equals(r.team()))
        && (statusMin == null || r.status() >= statusMin)
        && (statusMax == null || r.status() <= statusMax);
  }

  /** A stable text form of the filter, e.g. to bind a paging token to the query it belongs to. */
  public String fingerprint() {
    return String.join("\u0000", Objects.toString(keyId, ""), Objects.toString(model, ""),
        Objects.toString(team, ""), Objects.toString(statusMin, ""), Objects.toString(statusMax, ""));
  }
}
