package io.tollgate.persistence.audit;

import static io.tollgate.persistence.testing.StoreTestKit.await;
import static io.tollgate.persistence.testing.StoreTestKit.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.OverdraftBatchRow;
import io.tollgate.persistence.testing.StoreTestKit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Table overdraft_batches on the test Cassandra: what a tenant's entity sweeps for batches of dead nodes. */
@ExtendWith(TestKitJUnit5Extension.class)
class OverdraftBatchTableTest {
  private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @JUnit5TestKit
  ActorTestKit testKit = StoreTestKit.onTestCassandra("OverdraftBatchTableTest");

  @Test
  void registered_batches_are_listed_per_tenant_until_marked_settled() throws Exception {
    OverdraftBatchTable table = OverdraftBatchTable.create(testKit.system());
    await(table.ready());
    String tenant = freshTenant();
    String other = freshTenant();
    OverdraftBatchRow first = new OverdraftBatchRow("overdraft-1", "node-a#1", "key_1", "team-a", AT);
    OverdraftBatchRow second = new OverdraftBatchRow("overdraft-2", "node-b#2", "key_2", null, AT.plusSeconds(60));

    await(table.register(tenant, first));
    await(table.register(tenant, first));
    await(table.register(tenant, second));
    await(table.register(other, second));
    await(table.markSettled(tenant, "overdraft-2"));

    assertThat(await(table.unsettled(tenant))).containsExactly(first);
    assertThat(await(table.unsettled(other))).containsExactly(second);
  }
}
