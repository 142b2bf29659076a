package io.tollgate.node.testing;

import org.junit.jupiter.api.BeforeAll;

/** A {@link FreshTenantTest} that also sets limits and reads spend through the budget admin API. */
public abstract class BudgetHttpTest extends FreshTenantTest {
  protected static BudgetAdmin admin;

  @BeforeAll
  static void createBudgetAdmin() {
    admin = new BudgetAdmin(gateway);
  }
}
