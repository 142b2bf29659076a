package io.tollgate.persistence.budget;

import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Who holds a lease: one incarnation of a node (its address and the cluster's unique id of that
 * run, so a node restarted on the same address is another owner), and whether it is still a
 * member of the cluster, in any region.
 */
public final class LeaseOwners {
  private LeaseOwners() {}

  /** The owner id of the node with {@code address}. */
  public static String idOf(UniqueAddress address) {
    return address.address() + "#" + address.longUid();
  }

  /**
   * Whether an owner is still a member (joining, up, leaving or unreachable: it may still settle).
   * Ids written before incarnations were recorded (the bare address) match the address.
   */
  public static Predicate<String> membersOf(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    return ownerId -> {
      for (Member m : cluster.state().getMembers()) {
        MemberStatus status = m.status();
        if (status == MemberStatus.down() || status == MemberStatus.removed()) {
          continue;
        }
        if (ownerId.equals(idOf(m.uniqueAddress())) || ownerId.equals(m.address().toString())) {
          return true;
        }
      }
      return false;
    };
  }
}
