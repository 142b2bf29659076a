package io.tollgate.persistence.budget;

import io.tollgate.persistence.region.TenantHome;
import io.tollgate.persistence.region.TenantHomes;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Who holds a lease: one incarnation of a node (its address and the cluster's unique id of that
 * run, so a node restarted on the same address is another owner), and whether it is still there
 * to settle it.
 */
public final class LeaseOwners {
  private LeaseOwners() {}

  /** The owner id of the node with {@code address}. */
  public static String idOf(UniqueAddress address) {
    return address.address() + "#" + address.longUid();
  }

  /**
   * Whether an owner is still a member of the cluster (joining, up, leaving, or unreachable: a
   * partitioned node settles once the partition heals). Ids written before incarnations were
   * recorded (the bare address) match the address.
   */
  public static Predicate<String> membersOf(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    return ownerId -> member(cluster.state(), ownerId) != null;
  }

  /**
   * As {@link #membersOf}, for the leases of {@code tenantId}, except that nodes of the region its
   * home was moved away from no longer count while that whole region is unreachable: an operator
   * moves a home away from a region that is down, and the leases its nodes held are then closed
   * from what the audit shows of them.
   */
  public static Predicate<String> presentFor(ActorSystem<?> system, String tenantId) {
    Cluster cluster = Cluster.get(system);
    TenantHomes homes = TenantHomes.get(system);
    String selfRegion = cluster.selfMember().dataCenter();
    return ownerId -> {
      CurrentClusterState state = cluster.state();
      Member m = member(state, ownerId);
      if (m == null) {
        return false;
      }
      TenantHome home = homes.current(tenantId);
      String left = home.movedFrom();
      boolean leftBehind = left != null && home.settled() && left.equals(m.dataCenter())
          && !left.equals(selfRegion);
      return !(leftBehind && unreachable(state.getUnreachableDataCenters(), left));
    };
  }

  private static boolean unreachable(Set<String> regions, String region) {
    return regions.contains(region);
  }

  private static Member member(CurrentClusterState state, String ownerId) {
    for (Member m : state.getMembers()) {
      MemberStatus status = m.status();
      if (status == MemberStatus.down() || status == MemberStatus.removed()) {
        continue;
      }
      if (ownerId.equals(idOf(m.uniqueAddress())) || ownerId.equals(m.address().toString())) {
        return m;
      }
    }
    return null;
  }
}
