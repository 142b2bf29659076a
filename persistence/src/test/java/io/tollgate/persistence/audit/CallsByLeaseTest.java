package io.tollgate.persistence.audit;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Table calls_by_lease on the test Cassandra: admission rows, final columns and the lease reconciliation's read. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallsByLeaseTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("CallsByLeaseTest");

  private AuditStore batching;
  private AuditStore concurrent;

  @BeforeAll
  void createStores() throws Exception {
    AuditSettings settings = AuditSettings.from(testKit.system().settings().config());
    batching = AuditStore.create(testKit.system(), settings);
    GroupCommitSettings g = settings.groupCommit();
    concurrent = AuditStore.create(testKit.system(), new AuditSettings(settings.sessionConfigPath(), settings.keyspace(),
        settings.replicationFactor(), settings.createSchema(), settings.consistency(), settings.writeAttempts(),
        settings.minBackoff(), settings.maxBackoff(), settings.queueSize(), settings.writeParallelism(),
        settings.admissionTimeout(), settings.admissionCommit(), new GroupCommitSettings(g.maxRecords(), g.interval(), g.parallelism(),
            GroupCommitSettings.Mode.CONCURRENT, g.maxPending(), g.maxAttempts(), g.minBackoff(), g.maxBackoff())));
    await(batching.ready());
    await(concurrent.ready());
  }

  private static CallAdmission admission(String tenant, String lease, String requestId, int second, long worstUsd,
      long worstTokens) {
    return new CallAdmission(tenant, lease, requestId, NOW.plusSeconds(second), "key_1", "team-a", "openai",
        "demo-openai", worstUsd, worstTokens);
  }

  private static AuditRecord finished(CallAdmission a, long cost, long input, long output) {
    return new AuditRecord(a.requestId(), a.time(), a.tenantId(), a.keyId(), a.clientApi(), a.logicalModel(),
        "fake-openai", "gpt-4o-mini", input, output, 0, 0, false, cost, 40, -1, 200, null, false, a.team(),
        a.leaseId(), "d1", "global", 1);
  }

  private List<AuditRecord> audit(String tenant) throws Exception {
    return await(batching.forTenantDay(tenant, AuditRecord.dayOf(NOW)));
  }

  @Test
  void finished_calls_count_exactly_and_unfinished_ones_at_their_worst_case() throws Exception {
    String tenant = freshTenant();
    CallAdmission a = admission(tenant, "lease-1", "req-a", 0, 5000, 900);
    CallAdmission b = admission(tenant, "lease-1", "req-b", 1, 6000, 1000);
    CallAdmission lost = admission(tenant, "lease-1", "req-c", 2, 7000, 1100);
    CallAdmission otherLease = admission(tenant, "lease-2", "req-d", 3, 8000, 1200);
    for (CallAdmission c : List.of(a, b, lost, otherLease)) {
      await(batching.admit(c));
    }
    await(batching.writeFinal(finished(a, 1234, 100, 20)));
    await(concurrent.writeFinal(finished(b, 77, 10, 5)));

    LeaseTotals totals = await(batching.leaseSpend(tenant, "lease-1"));

    assertThat(totals).isEqualTo(new LeaseTotals(1234 + 77 + 7000, 120 + 15 + 1100, 3, 1));
    AuditRecord written = audit(tenant).stream().filter(r -> r.requestId().equals("req-c")).findFirst().orElseThrow();
    assertThat(written.time()).isEqualTo(lost.time());
    assertThat(written.costMicros()).isEqualTo(7000);
    assertThat(written.inputTokens() + written.outputTokens()).isEqualTo(1100);
    assertThat(written.usageEstimated()).isTrue();
    assertThat(written.status()).isEqualTo(500);
    assertThat(written.errorType()).isEqualTo("node_lost");
    assertThat(written.leaseId()).isEqualTo("lease-1");
    assertThat(written.keyId()).isEqualTo("key_1");
    assertThat(written.team()).isEqualTo("team-a");
  }

  @Test
  void reconciling_again_changes_nothing_and_every_call_keeps_exactly_one_audit_record() throws Exception {
    String tenant = freshTenant();
    CallAdmission done = admission(tenant, "lease-1", "req-a", 0, 5000, 900);
    CallAdmission lost = admission(tenant, "lease-1", "req-b", 1, 6000, 1000);
    await(batching.admit(done));
    await(batching.admit(lost));
    await(batching.writeFinal(finished(done, 300, 30, 3)));

    LeaseTotals first = await(batching.leaseSpend(tenant, "lease-1"));
    LeaseTotals second = await(concurrent.leaseSpend(tenant, "lease-1"));

    assertThat(second).isEqualTo(first).isEqualTo(new LeaseTotals(6300, 1033, 2, 1));
    assertThat(audit(tenant)).extracting(AuditRecord::requestId).containsExactlyInAnyOrder("req-a", "req-b");
    assertThat(audit(tenant).stream().mapToLong(AuditRecord::costMicros).sum()).isEqualTo(first.costMicros());
  }

  @Test
  void a_final_record_whose_admission_row_never_landed_still_counts_as_finished() throws Exception {
    String tenant = freshTenant();
    CallAdmission never = admission(tenant, "lease-1", "req-a", 0, 5000, 900);

    await(batching.writeFinal(finished(never, 420, 40, 2)));

    assertThat(await(batching.leaseSpend(tenant, "lease-1"))).isEqualTo(new LeaseTotals(420, 42, 1, 0));
    assertThat(audit(tenant)).containsExactly(finished(never, 420, 40, 2));
  }

  @Test
  void a_call_written_as_its_record_alone_is_billed_exactly_and_reconciling_again_changes_nothing() throws Exception {
    String tenant = freshTenant();
    // admitted at a time finer than Cassandra's milliseconds, as a node's clock gives it
    CallAdmission done = new CallAdmission(tenant, "lease-1", "req-a", NOW.plusNanos(123_456_789), "key_1", "team-a",
        "openai", "demo-openai", 5000, 900);
    CallAdmission lost = admission(tenant, "lease-1", "req-b", 1, 6000, 1000);
    await(batching.admit(done));
    await(batching.admit(lost));
    await(batching.writeFinal(finished(done, 300, 30, 3), true));

    LeaseTotals first = await(batching.leaseSpend(tenant, "lease-1"));
    LeaseTotals second = await(concurrent.leaseSpend(tenant, "lease-1"));

    assertThat(first).isEqualTo(new LeaseTotals(300 + 6000, 33 + 1000, 2, 1));
    assertThat(second).isEqualTo(first);
    assertThat(audit(tenant)).extracting(AuditRecord::requestId).containsExactlyInAnyOrder("req-a", "req-b");
    assertThat(audit(tenant).stream().mapToLong(AuditRecord::costMicros).sum()).isEqualTo(first.costMicros());
  }

  @Test
  void a_lease_without_calls_adds_up_to_nothing() throws Exception {
    assertThat(await(batching.leaseSpend(freshTenant(), "lease-unknown"))).isEqualTo(LeaseTotals.NONE);
  }

  @Test
  void group_commit_writes_many_records_across_partitions_in_both_modes() throws Exception {
    String tenant = freshTenant();
    List<CompletableFuture<?>> writes = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      CallAdmission a = admission(tenant, "lease-" + (i % 3), "req-" + i, i, 100, 10);
      AuditStore store = i % 2 == 0 ? batching : concurrent;
      writes.add(store.writeFinal(finished(a, i, 1, 1)).toCompletableFuture());
    }
    await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

    assertThat(audit(tenant)).hasSize(60);
    long total = 0;
    for (int lease = 0; lease < 3; lease++) {
      total += await(batching.leaseSpend(tenant, "lease-" + lease)).costMicros();
    }
    assertThat(total).isEqualTo(59 * 60 / 2);
  }

  @Test
  void an_admission_row_not_written_in_time_fails_the_admission() throws Exception {
    String tenant = freshTenant();
    AdmissionFaults.hold(tenant, new CompletableFuture<>());
    try {
      assertThatThrownBy(() -> await(batching.admit(admission(tenant, "lease-1", "req-a", 0, 1, 1))))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    } finally {
      AdmissionFaults.release(tenant);
    }
  }
}
