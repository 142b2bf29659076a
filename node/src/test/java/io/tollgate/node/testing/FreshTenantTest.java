package io.tollgate.node.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that call the shared {@link TestGateway}: every test method gets a tenant of
 * its own (with one key for every model), so tests stay independent. A subclass's own
 * {@code @BeforeEach} runs after the tenant exists.
 */
public abstract class FreshTenantTest {
  protected static TestGateway gateway;
  protected TestGateway.Tenant tenant;

  @BeforeAll
  static void startSharedGateway() {
    gateway = TestGateway.get();
  }

  @BeforeEach
  void createFreshTenant() {
    tenant = gateway.newTenant();
  }
}
