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
 * @param deployment the deployment that served the call
 */
public record AuditFilter(
    String keyId, String model, String team, Integer statusMin, Integer statusMax, String deployment) {

  /** Keeps every record. */
  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);

  public AuditFilter withKey(String keyId) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax, deployment);
  }

  public AuditFilter withModel(String model) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax, deployment);
  }

  public AuditFilter withTeam(String team) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax, deployment);
  }

  /** Keeps only records whose status lies in [min, max]. */
  public AuditFilter withStatus(int min, int max) {
    return new AuditFilter(keyId, model, team, min, max, deployment);
  }

  public AuditFilter withDeployment(String deployment) {
    return new AuditFilter(keyId, model, team, statusMin, statusMax, deployment);
  }

  public boolean matches(AuditRecord r) {
    return (keyId == null || keyId.equals(r.keyId()))
        && (model == null || model.equals(r.logicalModel()))
        && (team == null || team.equals(r.team()))
        && (statusMin == null || r.status() >= statusMin)
        && (statusMax == null || r.status() <= statusMax)
        && (deployment == null || deployment.equals(r.deployment()));
  }

  /** A stable text form of the filter, e.g. to bind a paging token to the query it belongs to. */
  public String fingerprint() {
    String base = String.join("\u0000", Objects.toString(keyId, ""), Objects.toString(model, ""),
        Objects.toString(team, ""), Objects.toString(statusMin, ""), Objects.toString(statusMax, ""));
    // Without a deployment the fingerprint stays what it was before that filter existed, so page
    // tokens issued by nodes of the previous version still work.
    return deployment == null ? base : base + "\u0000" + deployment;
  }
}
