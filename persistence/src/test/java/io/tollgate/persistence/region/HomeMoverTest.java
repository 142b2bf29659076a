package io.tollgate.persistence.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class HomeMoverTest {
  private static final Instant NOW = Instant.parse("2025-05-01T10:00:00Z");
  private static final RegionSettings REGIONS = new RegionSettings("b", List.of("a", "b", "c"), "a", "a", Map.of(), 1,
      Duration.ofSeconds(30), Duration.ofSeconds(5), com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL);

  private final InMemoryHomeStore store = new InMemoryHomeStore();
  private final List<TenantHome> published = new CopyOnWriteArrayList<>();
  private final List<String> fencedRegions = new CopyOnWriteArrayList<>();
  private final List<Boolean> settledWhenFenced = new CopyOnWriteArrayList<>();

  private HomeMover mover(boolean oldHomeAnswers) {
    HomeMover.Fencer fencer = (tenant, region, next) -> {
      fencedRegions.add(region);
      settledWhenFenced.add(store.rows.get(tenant).settled());
      return oldHomeAnswers
          ? CompletableFuture.completedFuture(true)
          : CompletableFuture.failedFuture(new TimeoutException("no answer from " + region));
    };
    return new HomeMover(REGIONS, store, fencer, published::add, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static MoveResult await(CompletionStage<MoveResult> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void moving_a_tenant_stops_the_old_home_before_the_new_one_may_start() throws Exception {
    MoveResult result = await(mover(true).move("t1", "b"));

    assertThat(result.moved()).isTrue();
    assertThat(result.fenced()).isTrue();
    assertThat(result.from()).isEqualTo("a");
    assertThat(result.home()).isEqualTo(new TenantHome("t1", "b", 1, NOW, "a", true));
    assertThat(store.rows.get("t1")).isEqualTo(result.home());
    assertThat(fencedRegions).containsExactly("a");
    assertThat(settledWhenFenced).as("the row was still unsettled while the old home stopped").containsExactly(false);
    assertThat(published).extracting(TenantHome::settled).containsExactly(false, true);
  }

  @Test
  void a_move_goes_on_when_the_old_home_region_is_dead() throws Exception {
    store.write(new TenantHome("t1", "a", 1, NOW, "c", true), 0);

    MoveResult result = await(mover(false).move("t1", "b"));

    assertThat(result.moved()).isTrue();
    assertThat(result.fenced()).as("the dead region never confirmed").isFalse();
    assertThat(store.rows.get("t1")).isEqualTo(new TenantHome("t1", "b", 2, NOW, "a", true));
  }

  @Test
  void moving_to_the_current_home_changes_nothing() throws Exception {
    MoveResult result = await(mover(true).move("t1", "a"));

    assertThat(result.moved()).isFalse();
    assertThat(store.rows).isEmpty();
    assertThat(fencedRegions).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void a_move_that_stopped_half_way_is_finished_by_asking_again() throws Exception {
    store.write(new TenantHome("t1", "b", 1, NOW, "a", false), 0);

    MoveResult result = await(mover(true).move("t1", "b"));

    assertThat(result.moved()).isTrue();
    assertThat(fencedRegions).containsExactly("a");
    assertThat(store.rows.get("t1").settled()).isTrue();
    assertThat(store.rows.get("t1").version()).isEqualTo(1);
  }

  @Test
  void moving_away_during_an_unfinished_move_stops_both_regions_it_may_run_in() throws Exception {
    store.write(new TenantHome("t1", "c", 1, NOW, "a", false), 0);

    await(mover(true).move("t1", "b"));

    assertThat(fencedRegions).containsExactlyInAnyOrder("a", "c");
    assertThat(store.rows.get("t1")).isEqualTo(new TenantHome("t1", "b", 2, NOW, "a", true));
  }

  @Test
  void of_two_moves_from_the_same_version_only_one_wins() throws Exception {
    HomeStore stale = new HomeStore() {
      @Override
      public CompletionStage<List<TenantHome>> loadAll() {
        return store.loadAll();
      }

      @Override
      public CompletionStage<Optional<TenantHome>> read(String tenantId) {
        // Another node moves the tenant right after this one read it.
        store.rows.put(tenantId, new TenantHome(tenantId, "c", 1, NOW, "a", true));
        return CompletableFuture.completedFuture(Optional.empty());
      }

      @Override
      public CompletionStage<Boolean> write(TenantHome next, long expectedVersion) {
        return store.write(next, expectedVersion);
      }

      @Override
      public CompletionStage<Boolean> settle(String tenantId, long version) {
        return store.settle(tenantId, version);
      }
    };
    HomeMover mover = new HomeMover(REGIONS, stale, (t, r, n) -> CompletableFuture.completedFuture(true),
        published::add, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThatThrownBy(() -> mover.move("t1", "b").toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(store.rows.get("t1").region()).isEqualTo("c");
    assertThat(published).isEmpty();
  }

  @Test
  void refuses_a_region_the_cluster_does_not_have() {
    assertThatThrownBy(() -> mover(true).move("t1", "z").toCompletableFuture().join())
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown region 'z'");
    assertThat(store.rows).isEmpty();
  }
}
