package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.LeaseGrant;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.SpendLine;
import io.tollgate.persistence.budget.SpendReport;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import io.tollgate.protocol.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admission from leases against the real TenantBudget entity on a single-node cluster on Cassandra. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseBookTest {
  private static final Duration ASK = Duration.ofSeconds(30);
  /** Generous: the first writes wait for Cassandra, slow on a 2-core machine. */
  private static final LeaseBookSettings SETTINGS = new LeaseBookSettings(
      Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(5), 5, Duration.ofSeconds(30));

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("LeaseBookTest").withCustomConfig(TestCassandra.config("""
          tollgate.budget.reconcile-grace = 1s
          tollgate.budget.expiry-check-interval = 500ms
          """)).build();

  /** What the audit shows for leases of nodes that are gone. */
  private final Map<String, Demand> audited = new ConcurrentHashMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    PersistenceSchema.ensure(testKit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> cluster.selfMember().status().equals(MemberStatus.up()));
    TenantBudget.init(testKit.system(), (tenant, leaseId) -> audited.containsKey(leaseId)
        ? CompletableFuture.completedFuture(audited.get(leaseId))
        : CompletableFuture.failedFuture(new IllegalStateException("no audit yet")));
  }

  private LeaseBook book() {
    return LeaseBook.create(testKit.system(), SETTINGS);
  }

  private static String newTenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void setLimits(String tenant, Limit... limits) throws Exception {
    TenantLimits l = new TenantLimits("UTC", FailMode.CLOSED, 0, List.of(limits));
    AskPattern.<TenantBudget.Command, TenantLimits>askWithStatus(TenantBudget.ref(testKit.system(), tenant),
            reply -> new TenantBudget.SetLimits(l, reply), ASK, testKit.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private SpendLine spend(String tenant, LimitKind kind) throws Exception {
    SpendReport report = AskPattern.<TenantBudget.Command, SpendReport>askWithStatus(
            TenantBudget.ref(testKit.system(), tenant), reply -> new TenantBudget.GetSpend(Instant.now(), reply),
            ASK, testKit.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
    return report.lines().stream().filter(l -> l.kind() == kind).findFirst().orElseThrow();
  }

  private static Admission admit(LeaseBook book, String tenant, Demand d) throws Exception {
    return book.admit(tenant, "k1", null, d).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static BudgetRejection refusal(LeaseBook book, String tenant, Demand d) {
    Throwable t = catchThrowable(() -> book.admit(tenant, "k1", null, d).toCompletableFuture().join());
    assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(BudgetRejection.class);
    return (BudgetRejection) t.getCause();
  }

  private static Limit usd(long micros) {
    return new Limit("tenant", LimitKind.USD, Period.DAILY, micros);
  }

  @Test
  void admits_within_a_lease_without_asking_the_entity_again() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, usd(100_000_000));
    LeaseBook book = book();
    Demand d = new Demand(1000, 100, 1);

    Admission first = admit(book, tenant, d);
    long asksAfterFirst = book.leaseAsks();
    // The first lease is sized for four requests like this one.
    for (int i = 0; i < 3; i++) {
      assertThat(admit(book, tenant, d).leaseId()).isEqualTo(first.leaseId());
    }

    assertThat(asksAfterFirst).isEqualTo(1);
    assertThat(book.leaseAsks()).isEqualTo(asksAfterFirst);
  }

  @Test
  void a_node_whose_clock_is_minutes_off_admits_within_its_lease_on_the_entitys_time() throws Exception {
    for (Duration skew : List.of(Duration.ofSeconds(150), Duration.ofSeconds(-150))) {
      String tenant = newTenant();
      setLimits(tenant, usd(100_000_000), new Limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1000));
      LeaseBook book = LeaseBook.create(testKit.system(), SETTINGS, t -> TenantBudget.ref(testKit.system(), t),
          Clock.offset(Clock.systemUTC(), skew));
      Demand d = new Demand(1000, 100, 1);

      Instant before = Instant.now();
      Admission first = admit(book, tenant, d);
      List<Admission> more = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        more.add(admit(book, tenant, d));
      }
      Instant after = Instant.now();

      assertThat(more).as("clock off by %s", skew).extracting(Admission::leaseId).containsOnly(first.leaseId());
      assertThat(book.leaseAsks()).as("clock off by %s: lease requests", skew).isEqualTo(1);
      assertThat(more).extracting(Admission::admittedAt).as("clock off by %s: admitted on the entity's time", skew)
          .allSatisfy(t -> assertThat(t).isBetween(before.minusSeconds(3), after.plusSeconds(3)));
      more.forEach(a -> book.settle(a, d));
    }
  }

  @Test
  void a_tenant_without_limits_is_not_asked_again_after_the_first_request() throws Exception {
    String tenant = newTenant();
    LeaseBook book = book();
    Demand d = new Demand(1000, 100, 1);
    admit(book, tenant, d);
    book.readLimits(tenant).toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
    long asks = book.asks();

    for (int i = 0; i < 100; i++) {
      Admission a = admit(book, tenant, d);
      book.settle(a, d);
      assertThat(book.headers(a)).isEmpty();
    }

    assertThat(book.asks()).isEqualTo(asks);
  }

  @Test
  void parallel_first_requests_never_admit_more_than_the_budget() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, usd(1000));
    LeaseBook book = book();
    Demand d = new Demand(100, 10, 1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Admission>> results = new ArrayList<>();
    try {
      List<Future<CompletableFuture<Admission>>> submitted = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        submitted.add(pool.submit(() -> book.admit(tenant, "k1", null, d).toCompletableFuture()));
      }
      for (Future<CompletableFuture<Admission>> f : submitted) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
          .handle((v, e) -> null).get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    List<Admission> admitted = results.stream().filter(f -> !f.isCompletedExceptionally()).map(CompletableFuture::join)
        .toList();
    long reserved = admitted.stream().mapToLong(a -> a.reserved().usdMicros()).sum();
    Map<ErrorKind, Long> refused = results.stream().filter(CompletableFuture::isCompletedExceptionally)
        .map(f -> ((BudgetRejection) catchThrowable(f::join).getCause()).error().kind())
        .collect(Collectors.groupingBy(k -> k, Collectors.counting()));

    assertThat(reserved).isLessThanOrEqualTo(1000);
    assertThat(admitted).hasSize(10);
    assertThat(refused).containsExactly(Map.entry(ErrorKind.BUDGET_EXCEEDED, 190L));
  }

  @Test
  void unused_reservations_return_to_the_lease_for_the_next_requests() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, usd(100_000_000));
    LeaseBook book = book();
    Demand d = new Demand(100_000, 1000, 1);
    List<Admission> firstFour = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      firstFour.add(admit(book, tenant, d));
    }
    long asks = book.leaseAsks();

    for (Admission a : firstFour) {
      book.settle(a, new Demand(10_000, 100, 1));
    }
    // 4 × 90 000 micro-dollars came back: three more requests fit the same lease.
    for (int i = 0; i < 3; i++) {
      assertThat(admit(book, tenant, d).leaseId()).isEqualTo(firstFour.get(0).leaseId());
    }

    assertThat(book.leaseAsks()).isEqualTo(asks);
  }

  @Test
  void settled_usage_reaches_the_ledger_to_the_micro_dollar_and_frees_the_budget() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, usd(10_000));
    LeaseBook book = book();
    Demand d = new Demand(4000, 100, 1);
    Admission a1 = admit(book, tenant, d);
    Admission a2 = admit(book, tenant, d);
    assertThat(refusal(book, tenant, d).error().kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);

    book.settle(a1, new Demand(1234, 50, 1));
    book.settle(a2, new Demand(2345, 60, 1));
    Admission a3 = admit(book, tenant, d);
    assertThat(refusal(book, tenant, d).error().kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    book.settle(a3, new Demand(1001, 70, 1));

    Awaitility.await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(spend(tenant, LimitKind.USD).spent()).isEqualTo(1234 + 2345 + 1001));
  }

  @Test
  void closing_the_book_returns_every_lease() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, usd(100_000_000));
    LeaseBook book = book();
    Demand d = new Demand(50_000, 100, 1);
    for (int i = 0; i < 6; i++) {
      book.settle(admit(book, tenant, d), new Demand(777, 10, 1));
    }

    book.closeAll().toCompletableFuture().get(60, TimeUnit.SECONDS);

    SpendLine line = spend(tenant, LimitKind.USD);
    assertThat(line.spent()).isEqualTo(6 * 777);
    assertThat(line.held()).isZero();
  }

  @Test
  void the_request_after_the_per_minute_limit_is_rate_limited_until_the_minute_ends() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, new Limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 5));
    LeaseBook book = book();
    Demand d = new Demand(100, 10, 1);
    Instant minuteEnd = awaitMidMinute().plusSeconds(60);

    Instant before = Instant.now();
    for (int i = 0; i < 5; i++) {
      book.settle(admit(book, tenant, d), d);
    }
    BudgetRejection sixth = refusal(book, tenant, d);
    Instant after = Instant.now();

    assertThat(sixth.error().kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(sixth.retryAfterSeconds()).isPresent();
    assertThat(sixth.retryAfterSeconds().getAsLong()).as("seconds until the minute ends")
        .isBetween(secondsUntil(after, minuteEnd), secondsUntil(before, minuteEnd));
    assertThat(sixth.headers()).extracting(HttpHeader::name).contains("retry-after");
  }

  @Test
  void headers_show_the_tightest_request_and_token_limits() throws Exception {
    String tenant = newTenant();
    setLimits(tenant,
        new Limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100),
        new Limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 10),
        new Limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 50_000),
        new Limit("key:k1", LimitKind.TOKENS, Period.DAILY, 1_000_000));
    LeaseBook book = book();
    Instant minute = awaitMidMinute();

    Instant before = Instant.now();
    Admission a = admit(book, tenant, new Demand(0, 1000, 1));
    Map<String, String> headers = book.headers(a).stream()
        .collect(Collectors.toMap(HttpHeader::name, HttpHeader::value));
    Instant after = Instant.now();

    assertThat(headers).containsAllEntriesOf(Map.of(
        "x-ratelimit-limit-requests", "10",
        "x-ratelimit-remaining-requests", "9",
        "x-ratelimit-limit-tokens", "50000",
        "x-ratelimit-remaining-tokens", "49000",
        RateLimitHeaders.WINDOW_HEADER, Long.toString(minute.toEpochMilli())));
    Instant minuteEnd = minute.plusSeconds(60);
    for (String reset : List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")) {
      assertThat(headers.get(reset)).as(reset + ": the time left in the minute")
          .isIn(resetsBetween(Duration.between(after, minuteEnd), Duration.between(before, minuteEnd)));
    }
    assertThat(headers).hasSize(7);
  }

  /** Waits until a UTC minute is between 10 and 40 s old, so a short test stays within it; returns its start. */
  private static Instant awaitMidMinute() {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      long second = Instant.now().getEpochSecond() % 60;
      return second >= 10 && second <= 40;
    });
    return Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }

  private static long secondsUntil(Instant from, Instant end) {
    return (Duration.between(from, end).toMillis() + 999) / 1000;
  }

  /** Every reset header value (millisecond precision) between the two durations. */
  private static List<String> resetsBetween(Duration shortest, Duration longest) {
    List<String> values = new ArrayList<>();
    for (long ms = shortest.toMillis(); ms <= longest.toMillis() + 1; ms++) {
      values.add(RateLimitHeaders.format(Duration.ofMillis(ms)));
    }
    return values;
  }

  @Test
  void the_lease_of_a_node_that_is_not_a_member_is_closed_from_its_audit_records() throws Exception {
    String tenant = newTenant();
    setLimits(tenant, new Limit("tenant", LimitKind.USD, Period.LIFETIME, 1_000_000));
    Demand slice = new Demand(50_000, 1000, 1);
    LeaseGrant lost = AskPattern.<TenantBudget.Command, LeaseGrant>askWithStatus(
            TenantBudget.ref(testKit.system(), tenant),
            reply -> new TenantBudget.AcquireLease("pekko://Gone@127.0.0.1:9#1", "k1", null, slice, slice,
                Instant.now(), reply),
            ASK, testKit.scheduler())
        .toCompletableFuture().join();
    audited.put(lost.leaseId(), new Demand(12_345, 400, 2));

    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      SpendLine line = spend(tenant, LimitKind.USD);
      assertThat(line.spent()).isEqualTo(12_345);
      assertThat(line.held()).isZero();
    });
  }
}
