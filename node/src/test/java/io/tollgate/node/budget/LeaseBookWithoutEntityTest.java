package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.budget.TenantLimits;
import io.tollgate.protocol.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose budget entity does not answer lease requests: requests not covered by a lease fail
 * closed, or are admitted within the overdraft of a fail-open tenant.
 */
class LeaseBookWithoutEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create("LeaseBookWithoutEntityTest",
      ConfigFactory.parseString(String.join("\n",
          "pekko.actor.provider = cluster",
          "pekko.remote.artery.canonical.hostname = 127.0.0.1",
          "pekko.remote.artery.canonical.port = 0",
          "pekko.loglevel = WARNING")).withFallback(ConfigFactory.load()));

  private static final LeaseBookSettings SETTINGS = new LeaseBookSettings(
      Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(5), 5, Duration.ofSeconds(30));
  private static final Demand DEMAND = new Demand(300, 100, 1);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Answers GetLimits with {@code limits} (null: never answers) and ignores everything else. */
  private static Behavior<TenantBudget.Command> limitsOnly(TenantLimits limits) {
    return Behaviors.receiveMessage(msg -> {
      if (msg instanceof TenantBudget.GetLimits get && limits != null) {
        get.replyTo().tell(StatusReply.success(limits));
      }
      return Behaviors.same();
    });
  }

  private static LeaseBook bookOn(ActorRef<TenantBudget.Command> entity) {
    return LeaseBook.create(testKit.system(), SETTINGS, tenant -> entity, Clock.systemUTC());
  }

  private static String tenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static TenantLimits limits(FailMode mode, long overdraft) {
    return new TenantLimits("UTC", mode, overdraft,
        List.of(new Limit("tenant", LimitKind.USD, Period.MONTHLY, 1_000_000)));
  }

  private static ErrorKind rejectionKind(LeaseBook book, String tenant) {
    Throwable t = catchThrowable(() -> book.admit(tenant, "k1", null, DEMAND).toCompletableFuture().join());
    assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(BudgetRejection.class);
    return ((BudgetRejection) t.getCause()).error().kind();
  }

  @Test
  void fails_closed_when_the_entity_never_answers() {
    LeaseBook book = bookOn(testKit.spawn(limitsOnly(null)));

    assertThat(rejectionKind(book, tenant())).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);
  }

  @Test
  void fails_closed_for_a_tenant_whose_limits_say_closed() throws Exception {
    String tenant = tenant();
    LeaseBook book = bookOn(testKit.spawn(limitsOnly(limits(FailMode.CLOSED, 10_000))));
    book.readLimits(tenant).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(rejectionKind(book, tenant)).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);
  }

  @Test
  void fails_open_within_the_overdraft_then_refuses() throws Exception {
    String tenant = tenant();
    LeaseBook book = bookOn(testKit.spawn(limitsOnly(limits(FailMode.OPEN, 1000))));
    book.readLimits(tenant).toCompletableFuture().get(10, TimeUnit.SECONDS);

    Admission first = book.admit(tenant, "k1", null, DEMAND).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Admission second = book.admit(tenant, "k1", null, DEMAND).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Admission third = book.admit(tenant, "k2", null, DEMAND).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(List.of(first, second, third)).allMatch(Admission::overdraft);
    assertThat(first.leaseId()).as("an overdraft batch: its calls' audit records name it")
        .startsWith(TenantBudget.OVERDRAFT_LEASE_PREFIX).isEqualTo(second.leaseId()).isNotEqualTo(third.leaseId());
    // 900 of 1000 micro-dollars are reserved: a fourth request of 300 does not fit.
    assertThat(rejectionKind(book, tenant)).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);

    // Settling returns the unused part of the reservation to the overdraft: 300 reserved, 100 used.
    book.settle(first, new Demand(100, 40, 1));
    Admission fourth = book.admit(tenant, "k1", null, DEMAND).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(fourth.overdraft()).isTrue();
    assertThat(rejectionKind(book, tenant)).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);
  }

  @Test
  void after_a_lease_request_timed_out_the_node_asks_the_entity_to_release_what_it_never_got() throws Exception {
    String tenant = tenant();
    TestProbe<TenantBudget.ReleaseUnheld> releases = testKit.createTestProbe();
    LeaseBook book = bookOn(testKit.spawn(Behaviors.<TenantBudget.Command>receiveMessage(msg -> {
      if (msg instanceof TenantBudget.GetLimits get) {
        get.replyTo().tell(StatusReply.success(limits(FailMode.CLOSED, 0)));
      } else if (msg instanceof TenantBudget.ReleaseUnheld release) {
        releases.ref().tell(release);
        release.replyTo().tell(StatusReply.success(1));
      }
      return Behaviors.same();
    })));
    book.readLimits(tenant).toCompletableFuture().get(10, TimeUnit.SECONDS);

    // The lease request times out: the entity may still have granted a lease this node never got.
    assertThat(rejectionKind(book, tenant)).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);

    TenantBudget.ReleaseUnheld release = releases.receiveMessage(Duration.ofSeconds(10));
    assertThat(release.keyId()).isEqualTo("k1");
    assertThat(release.held()).as("this node holds no lease for the key").isEmpty();
    releases.expectNoMessage(Duration.ofMillis(500));
  }
}
