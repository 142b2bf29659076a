package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The group commit in front of the audit writes: every item written, failures retried, order irrelevant. */
class GroupCommitTest {
  private static final ActorTestKit testKit = ActorTestKit.create("GroupCommitTest");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static GroupCommitSettings settings(int maxRecords, int maxPending, int maxAttempts) {
    return new GroupCommitSettings(maxRecords, Duration.ofMillis(20), 2, GroupCommitSettings.Mode.BATCH,
        maxPending, maxAttempts, Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Completes each item's write after a random delay, so items of a group finish in any order. */
  private static CompletionStage<Done> later(Runnable written) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextLong(10), TimeUnit.MILLISECONDS).execute(() -> {
      written.run();
      done.complete(Done.getInstance());
    });
    return done;
  }

  @Test
  void writes_every_item_in_groups_whatever_order_the_writes_finish_in() throws Exception {
    Set<Integer> written = ConcurrentHashMap.newKeySet();
    List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommit<Integer> commit = GroupCommit.start(testKit.system(), settings(16, 1000, 3), group -> {
      groupSizes.add(group.size());
      return group.stream().map(i -> later(() -> written.add(i))).toList();
    }, i -> "item " + i);

    List<CompletableFuture<Done>> stages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      stages.add(commit.submit(i).toCompletableFuture());
    }
    await(CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)));

    assertThat(written).hasSize(200);
    assertThat(groupSizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
    assertThat(groupSizes.size()).as("records were grouped").isLessThan(200);
    assertThat(commit.pending()).isZero();
  }

  @Test
  void without_an_interval_groups_whatever_arrived_while_writes_were_in_flight() throws Exception {
    Set<Integer> written = ConcurrentHashMap.newKeySet();
    List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommitSettings adaptive = new GroupCommitSettings(16, Duration.ZERO, 1, GroupCommitSettings.Mode.BATCH,
        1000, 1, Duration.ofMillis(5), Duration.ofMillis(20));
    GroupCommit<Integer> commit = GroupCommit.start(testKit.system(), adaptive, group -> {
      groupSizes.add(group.size());
      return group.stream().map(i -> later(() -> written.add(i))).toList();
    }, i -> "item " + i);

    List<CompletableFuture<Done>> stages = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      stages.add(commit.submit(i).toCompletableFuture());
    }
    await(CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)));

    assertThat(written).hasSize(100);
    assertThat(groupSizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
    assertThat(groupSizes.size()).as("records were grouped").isLessThan(100);
  }

  @Test
  void retries_a_failed_write_until_it_succeeds() throws Exception {
    Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    GroupCommit<Integer> commit = GroupCommit.start(testKit.system(), settings(8, 1000, 5), group -> group.stream()
        .map(i -> attempts.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet() < 3
            ? CompletableFuture.<Done>failedFuture(new IllegalStateException("Cassandra timed out"))
            : CompletableFuture.completedFuture(Done.getInstance()))
        .map(s -> (CompletionStage<Done>) s)
        .toList(), i -> "item " + i);

    List<CompletableFuture<Done>> stages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stages.add(commit.submit(i).toCompletableFuture());
    }
    await(CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)));

    assertThat(attempts).hasSize(20);
    assertThat(attempts.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(3));
  }

  @Test
  void gives_up_on_an_item_after_its_attempts_and_keeps_writing_the_others() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    GroupCommit<String> commit = GroupCommit.start(testKit.system(), settings(8, 1000, 4), group -> group.stream()
        .map(item -> {
          if (item.equals("poison")) {
            tries.incrementAndGet();
            return CompletableFuture.<Done>failedFuture(new IllegalStateException("rejected"));
          }
          return CompletableFuture.completedFuture(Done.getInstance());
        })
        .map(s -> (CompletionStage<Done>) s)
        .toList(), item -> item);

    CompletableFuture<Done> poison = commit.submit("poison").toCompletableFuture();
    CompletableFuture<Done> fine = commit.submit("fine").toCompletableFuture();

    assertThat(await(fine)).isEqualTo(Done.getInstance());
    assertThatThrownBy(() -> await(poison)).isInstanceOf(ExecutionException.class).hasRootCauseMessage("rejected");
    assertThat(tries.get()).isEqualTo(4);
    assertThat(commit.pending()).isZero();
  }

  @Test
  void refuses_items_beyond_the_pending_bound_instead_of_growing() throws Exception {
    CompletableFuture<Done> never = new CompletableFuture<>();
    GroupCommit<Integer> commit = GroupCommit.start(testKit.system(), settings(8, 2, 3),
        group -> group.stream().map(i -> (CompletionStage<Done>) never).toList(), i -> "item " + i);

    commit.submit(1);
    commit.submit(2);
    CompletableFuture<Done> third = commit.submit(3).toCompletableFuture();

    assertThat(third).isCompletedExceptionally();
    assertThat(commit.pending()).isEqualTo(2);
    never.complete(Done.getInstance());
  }
}
