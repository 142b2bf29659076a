package io.tollgate.persistence.region;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link HomeStore} in memory with the same conditional-write rules as the Cassandra one. */
final class InMemoryHomeStore implements HomeStore {
  final Map<String, TenantHome> rows = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<List<TenantHome>> loadAll() {
    return CompletableFuture.completedFuture(List.copyOf(rows.values()));
  }

  @Override
  public CompletionStage<Optional<TenantHome>> read(String tenantId) {
    return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(tenantId)));
  }

  @Override
  public synchronized CompletionStage<Boolean> write(TenantHome next, long expectedVersion) {
    TenantHome stored = rows.get(next.tenantId());
    long version = stored == null ? 0 : stored.version();
    if (version != expectedVersion) {
      return CompletableFuture.completedFuture(false);
    }
    rows.put(next.tenantId(), next);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletionStage<Boolean> settle(String tenantId, long version) {
    TenantHome stored = rows.get(tenantId);
    if (stored == null || stored.version() != version) {
      return CompletableFuture.completedFuture(false);
    }
    rows.put(tenantId, stored.asSettled());
    return CompletableFuture.completedFuture(true);
  }
}
