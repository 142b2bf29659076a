package io.tollgate.persistence.audit;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;

/**
 * Test hook: holds back the admission-row writes of one tenant until a stage completes, as a slow
 * Cassandra would, so tests can show that no answer is released before its admission row exists.
 * Empty (and free) unless a test holds a tenant.
 */
public final class AdmissionFaults {
  private static final CompletionStage<Done> NOW = CompletableFuture.completedFuture(Done.getInstance());
  private static final Map<String, CompletionStage<?>> held = new ConcurrentHashMap<>();

  private AdmissionFaults() {}

  /** Admission rows of {@code tenantId} are written only once {@code until} completes. */
  public static void hold(String tenantId, CompletionStage<?> until) {
    held.put(tenantId, until);
  }

  /** Writes of {@code tenantId} go through at once again. */
  public static void release(String tenantId) {
    held.remove(tenantId);
  }

  static CompletionStage<Done> before(String tenantId) {
    CompletionStage<?> until = held.get(tenantId);
    return until == null ? NOW : until.handle((v, e) -> Done.getInstance());
  }
}
