package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.TenantBudget.LeaseGranted;
import io.tollgate.persistence.budget.TenantBudget.ReconcileLease;
import io.tollgate.persistence.budget.TenantBudget.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random operation sequences (acquire, settle, close, expire, reconcile, restart) from several
 * nodes and keys against tenant, team and key limits: after every step, in every window,
 * {@code spent + held <= limit}.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantBudgetPropertyTest {
  private static final int SEQUENCES = 1_000;
  private static final int STEPS = 30;
  private static final String[] NODES = {"n0", "n1", "n2"};
  private static final String[] KEYS = {"k0", "k1", "k2", "k3"};
  private static final String[] TEAMS = {"a", "a", "b", null};
  private static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York"};
  /** Near Berlin's midnight on the day summer time starts, so sequences cross days and minutes. */
  private static final Instant BASE = Instant.parse("2025-03-29T22:30:00Z");

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("TenantBudgetPropertyTest").withCustomConfig(BudgetKit.CONFIG).build();

  /** What a node knows about a lease it holds, and what the ledger must end up with for it. */
  private static final class NodeLease {
    final String leaseId;
    final String node;
    final Demand granted;
    final Set<WindowKey> windows;
    /** Usage of its finished calls. */
    Demand used = Demand.ZERO;
    /** What the node has settled so far. */
    Demand sent = Demand.ZERO;
    long seq;
    /** What reconciliation counted (its audit: finished calls plus the worst case of unfinished ones), or null. */
    Demand reconciled;
    boolean closed;

    NodeLease(String leaseId, String node, Demand granted, Set<WindowKey> windows) {
      this.leaseId = leaseId;
      this.node = node;
      this.granted = granted;
      this.windows = windows;
    }

    /** What its calls may still use: within the grant, and within what reconciliation counted. */
    Demand remaining() {
      Demand cap = reconciled == null ? granted : min(granted, reconciled);
      return cap.minus(used);
    }

    /** What the ledger must hold for it once everything is settled. */
    Demand owed() {
      return reconciled == null ? used : max(used, reconciled);
    }
  }

  private static Demand min(Demand a, Demand b) {
    return new Demand(Math.min(a.usdMicros(), b.usdMicros()), Math.min(a.tokens(), b.tokens()),
        Math.min(a.requests(), b.requests()));
  }

  private static Demand max(Demand a, Demand b) {
    return new Demand(Math.max(a.usdMicros(), b.usdMicros()), Math.max(a.tokens(), b.tokens()),
        Math.max(a.requests(), b.requests()));
  }

  @Test
  void spent_plus_held_never_exceeds_any_limit_in_any_window() {
    Random seeds = new Random(20_250_310L);
    int grants = 0;
    int refusals = 0;
    for (int run = 0; run < SEQUENCES; run++) {
      long seed = seeds.nextLong();
      int[] counts = runSequence(seed);
      grants += counts[0];
      refusals += counts[1];
    }
    // The sequences must exercise both sides of the limit to mean anything.
    assertThat(grants).isGreaterThan(SEQUENCES * 3);
    assertThat(refusals).isGreaterThan(SEQUENCES / 2);
  }

  private int[] runSequence(long seed) {
    Random random = new Random(seed);
    BudgetKit b = BudgetKit.withoutSerializationChecks(testKit.system());
    TenantLimits limits = b.limits(ZONES[random.nextInt(ZONES.length)],
        new Limit("tenant", LimitKind.USD, Period.DAILY, 50_000 + random.nextInt(450_000)),
        new Limit("tenant", LimitKind.TOKENS, Period.MONTHLY, 2_000 + random.nextInt(20_000)),
        new Limit("team:a", LimitKind.USD, Period.DAILY, 20_000 + random.nextInt(200_000)),
        new Limit("team:b", LimitKind.USD, Period.LIFETIME, 20_000 + random.nextInt(200_000)),
        new Limit("key:k0", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 2 + random.nextInt(8)),
        new Limit("key:k1", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 500 + random.nextInt(3_000)),
        new Limit("key:k2", LimitKind.USD, Period.DAILY, 10_000 + random.nextInt(100_000)));
    List<NodeLease> all = new ArrayList<>();
    Instant now = BASE.plusSeconds(random.nextInt(3 * 3600));
    int grants = 0;
    int refusals = 0;
    for (int step = 0; step < STEPS; step++) {
      now = now.plusMillis(random.nextInt(random.nextInt(10) == 0 ? 180_000 : 20_000));
      String node = NODES[random.nextInt(NODES.length)];
      List<NodeLease> held = all.stream().filter(l -> l.node.equals(node) && !l.closed).toList();
      int op = random.nextInt(100);
      State state;
      String what;
      if (op < 35 || held.isEmpty()) {
        int k = random.nextInt(KEYS.length);
        Demand atLeast = new Demand(1_000 + random.nextInt(20_000), 10 + random.nextInt(500), 1);
        int factor = 1 + random.nextInt(20);
        Demand want = new Demand(atLeast.usdMicros() * factor, atLeast.tokens() * factor, factor);
        var result = b.acquire(node, KEYS[k], TEAMS[k], want, atLeast, now);
        LeaseGrant grant = result.reply().getValue();
        if (grant.granted()) {
          assertThat(grant.amounts().covers(atLeast)).isTrue();
          if (!result.hasNoEvents()) {
            all.add(new NodeLease(grant.leaseId(), node, grant.amounts(),
                ((LeaseGranted) result.event()).granted().keySet()));
          }
          grants++;
        } else {
          assertThat(result.hasNoEvents()).as("a refusal persists nothing").isTrue();
          refusals++;
        }
        state = result.state();
        what = "acquire " + KEYS[k] + " on " + node;
      } else if (op < 55) {
        NodeLease lease = held.get(random.nextInt(held.size()));
        lease.used = lease.used.plus(partOf(random, lease.remaining()));
        state = b.kit.getState();
        what = "calls end on " + lease.leaseId;
      } else if (op < 72) {
        NodeLease lease = held.get(random.nextInt(held.size()));
        boolean close = random.nextInt(3) == 0;
        var result = b.settle(lease.leaseId, ++lease.seq, lease.used.minus(lease.sent), close, now);
        assertThat(result.reply().isSuccess()).isTrue();
        lease.sent = lease.used;
        lease.closed = close;
        state = result.state();
        what = (close ? "close " : "settle ") + lease.leaseId;
      } else if (op < 84) {
        state = b.expire(now).state();
        what = "expire";
      } else if (op < 96) {
        // The node looks gone (e.g. paused): its lease is reconciled from the audit, which counts its
        // finished calls and the worst case of the unfinished ones; then it may come back and settle late.
        NodeLease lease = held.get(random.nextInt(held.size()));
        Demand audited = lease.used.plus(partOf(random, lease.remaining()));
        b.gone.add(node);
        b.expire(now);
        var result = b.kit.<StatusReply<SettleAck>>runCommand(r -> new ReconcileLease(lease.leaseId, audited, r));
        assertThat(result.reply().isSuccess()).as("a gone node's expired lease is reconciled").isTrue();
        if (lease.reconciled == null && !result.hasNoEvents()) {
          lease.reconciled = audited;
        }
        if (random.nextBoolean()) {
          b.gone.remove(node);
        }
        state = result.state();
        what = "reconcile " + lease.leaseId;
      } else {
        State before = b.kit.getState();
        b.kit.restart();
        state = b.kit.getState();
        assertThat(state).as("state after restart").isEqualTo(before);
        what = "restart";
      }
      assertWithinLimits(state, limits, "seed " + seed + ", step " + step + " (" + what + ")");
    }
    // Every node settles what its calls used and closes its leases (late where they were reconciled).
    b.gone.clear();
    for (NodeLease lease : all) {
      if (!lease.closed) {
        b.settle(lease.leaseId, ++lease.seq, lease.used.minus(lease.sent), true, now);
        lease.sent = lease.used;
      }
    }
    State drained = b.kit.getState();
    assertThat(drained.leases()).isEmpty();
    assertThat(drained.expired()).isEmpty();
    assertWithinLimits(drained, limits, "seed " + seed + ", drained");
    assertConserved(drained, all, "seed " + seed);
    return new int[] {grants, refusals};
  }

  /** Conservation: each window of the ledger holds exactly what the leases that held it owe, nothing dropped. */
  private static void assertConserved(State state, List<NodeLease> leases, String where) {
    for (Map.Entry<WindowKey, Long> e : state.spent().entrySet()) {
      WindowKey window = e.getKey();
      long owed = 0;
      for (NodeLease lease : leases) {
        if (lease.windows.contains(window)) {
          owed += window.kind().of(lease.owed());
        }
      }
      assertThat(e.getValue()).as("ledger of %s at %s", window, where).isEqualTo(owed);
    }
  }

  /** Some of {@code remaining}, never more, in every dimension (unlimited ones get small amounts). */
  private static Demand partOf(Random random, Demand remaining) {
    return new Demand(
        part(random, Math.min(remaining.usdMicros(), 200_000)),
        part(random, Math.min(remaining.tokens(), 5_000)),
        part(random, Math.min(remaining.requests(), 20)));
  }

  private static long part(Random random, long max) {
    return max <= 0 ? 0 : (long) (random.nextDouble() * (max + 1));
  }

  private static void assertWithinLimits(State state, TenantLimits limits, String where) {
    Set<WindowKey> windows = new HashSet<>(state.spent().keySet());
    state.leases().values().forEach(l -> windows.addAll(l.granted().keySet()));
    state.expired().values().forEach(l -> windows.addAll(l.granted().keySet()));
    List<Lease> holding = new ArrayList<>(state.leases().values());
    holding.addAll(state.expired().values());
    for (WindowKey window : windows) {
      Limit limit = limits.limits().stream().filter(window::sameSeries).findFirst().orElseThrow();
      long spent = state.spent().getOrDefault(window, 0L);
      long held = Availability.held(window, holding);
      assertThat(spent).as("spent in %s at %s", window, where).isLessThanOrEqualTo(limit.amount());
      assertThat(spent + held).as("spent + held in %s at %s", window, where).isLessThanOrEqualTo(limit.amount());
    }
  }
}
