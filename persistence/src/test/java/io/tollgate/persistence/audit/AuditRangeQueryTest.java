package io.tollgate.persistence.audit;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Range queries over several day partitions: order, filters and paging. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditRangeQueryTest {
  private static final LocalDate DAY = LocalDate.of(2025, 6, 10);

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("AuditRangeQueryTest");

  private AuditStore store;

  @BeforeAll
  void createStore() throws Exception {
    store = AuditStore.create(testKit.system());
    await(store.ready());
  }

  private static AuditRecord call(String tenant, String id, Instant time, String key, String model, int status, String team) {
    return new AuditRecord(id, time, tenant, key, "openai", model, "fake", "up-" + model, 10, 5, 0, 0, false,
        100, 20, -1, status, status >= 400 ? "upstream_error" : null, false, team, null);
  }

  /** Calls spread over three days, two of them in the same millisecond, with mixed keys, models and statuses. */
  private List<AuditRecord> spreadOverThreeDays(String tenant) throws Exception {
    List<AuditRecord> written = new ArrayList<>();
    Instant start = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    for (int i = 0; i < 30; i++) {
      // Ten calls a day, an hour apart; calls x1 and x2 share one millisecond (then request id orders
      // them), and with pages of 7 the pair req-01/req-02 falls on both sides of a page boundary.
      int slot = i % 10 == 2 ? 1 : i % 10;
      Instant time = start.plusSeconds(i / 10 * 86_400L + 3_600L * slot).plusMillis(slot);
      String key = i % 3 == 0 ? "key-a" : "key-b";
      String model = i % 2 == 0 ? "gpt" : "claude";
      int status = i % 5 == 0 ? 502 : 200;
      AuditRecord r = call(tenant, String.format("req-%02d", i), time, key, model, status, i % 4 == 0 ? "red" : null);
      written.add(r);
    }
    for (AuditRecord r : written) {
      await(store.write(r));
    }
    return written;
  }

  private static List<AuditRecord> newestFirst(List<AuditRecord> records) {
    return records.stream()
        .sorted(Comparator.comparing(AuditRecord::time).reversed().thenComparing(AuditRecord::requestId))
        .toList();
  }

  @Test
  void lists_a_range_over_several_days_newest_first() throws Exception {
    String tenant = freshTenant();
    List<AuditRecord> all = spreadOverThreeDays(tenant);

    List<AuditRecord> found = await(store.records(tenant, AuditRange.days(DAY, DAY.plusDays(2)), AuditFilter.ALL, null)
        .runWith(Sink.seq(), testKit.system()));

    assertThat(found).containsExactlyElementsOf(newestFirst(all));
  }

  @Test
  void pages_through_every_record_exactly_once_across_day_boundaries() throws Exception {
    String tenant = freshTenant();
    List<AuditRecord> all = spreadOverThreeDays(tenant);
    AuditRange range = AuditRange.days(DAY.minusDays(1), DAY.plusDays(3));

    List<AuditRecord> seen = new ArrayList<>();
    AuditCursor cursor = null;
    int pages = 0;
    do {
      AuditPage page = await(store.page(tenant, range, AuditFilter.ALL, cursor, 7));
      assertThat(page.records()).hasSizeLessThanOrEqualTo(7);
      seen.addAll(page.records());
      cursor = page.next();
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(newestFirst(all));
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void a_page_that_ends_exactly_at_the_last_record_has_no_next_page() throws Exception {
    String tenant = freshTenant();
    List<AuditRecord> all = spreadOverThreeDays(tenant);

    AuditPage page = await(store.page(tenant, AuditRange.days(DAY, DAY.plusDays(2)), AuditFilter.ALL, null, all.size()));

    assertThat(page.records()).hasSize(all.size());
    assertThat(page.next()).isNull();
  }

  @Test
  void filters_by_key_model_status_and_team_while_paging() throws Exception {
    String tenant = freshTenant();
    List<AuditRecord> all = spreadOverThreeDays(tenant);
    AuditRange range = AuditRange.days(DAY, DAY.plusDays(2));
    AuditFilter filter = AuditFilter.ALL.withKey("key-b").withModel("gpt").withStatus(200, 299);

    List<AuditRecord> seen = new ArrayList<>();
    AuditCursor cursor = null;
    do {
      AuditPage page = await(store.page(tenant, range, filter, cursor, 2));
      seen.addAll(page.records());
      cursor = page.next();
    } while (cursor != null);

    List<AuditRecord> expected = newestFirst(all.stream().filter(filter::matches).toList());
    assertThat(expected).isNotEmpty().allSatisfy(r -> {
      assertThat(r.keyId()).isEqualTo("key-b");
      assertThat(r.logicalModel()).isEqualTo("gpt");
      assertThat(r.status()).isEqualTo(200);
    });
    assertThat(seen).containsExactlyElementsOf(expected);

    List<AuditRecord> red = await(store.records(tenant, range, AuditFilter.ALL.withTeam("red"), null)
        .runWith(Sink.seq(), testKit.system()));
    assertThat(red).hasSize(8).allSatisfy(r -> assertThat(r.team()).isEqualTo("red"));
    List<AuditRecord> failed = await(store.records(tenant, range, AuditFilter.ALL.withStatus(500, 599), null)
        .runWith(Sink.seq(), testKit.system()));
    assertThat(failed).hasSize(6).allSatisfy(r -> assertThat(r.status()).isEqualTo(502));
  }

  @Test
  void a_range_within_a_day_keeps_only_the_records_inside_it() throws Exception {
    String tenant = freshTenant();
    List<AuditRecord> all = spreadOverThreeDays(tenant);
    Instant from = DAY.plusDays(1).atTime(2, 0).toInstant(java.time.ZoneOffset.UTC);
    Instant to = DAY.plusDays(1).atTime(5, 0).toInstant(java.time.ZoneOffset.UTC);
    AuditRange range = new AuditRange(from, to);

    List<AuditRecord> found = await(store.records(tenant, range, AuditFilter.ALL, null).runWith(Sink.seq(), testKit.system()));

    assertThat(found).isNotEmpty().containsExactlyElementsOf(newestFirst(all.stream().filter(r -> range.contains(r.time())).toList()));
  }
}
