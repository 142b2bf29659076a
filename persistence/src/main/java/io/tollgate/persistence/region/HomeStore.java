package io.tollgate.persistence.region;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Durable tenant homes (table {@code tenant_home}); every write is conditional on the version it replaces. */
public interface HomeStore {

  /** Every row (tenants that were moved at least once). */
  CompletionStage<List<TenantHome>> loadAll();

  /** The tenant's row, empty when it was never moved. */
  CompletionStage<Optional<TenantHome>> read(String tenantId);

  /**
   * Writes {@code next} if the stored row still has {@code expectedVersion} (0: no row yet);
   * completes with whether it was written.
   */
  CompletionStage<Boolean> write(TenantHome next, long expectedVersion);

  /** Marks the row of {@code version} settled, if it is still that version; completes with whether it did. */
  CompletionStage<Boolean> settle(String tenantId, long version);
}
