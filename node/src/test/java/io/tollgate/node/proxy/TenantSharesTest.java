package io.tollgate.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tenant's share of a provider host's connections: counted per tenant and host, freed once per call. */
class TenantSharesTest {
  private static final GatewayMetrics METRICS = GatewayMetrics.create(ConfigFactory.load(), "shares-test");

  @Test
  void the_share_is_a_fraction_of_the_pool_and_at_least_one_call() {
    assertThat(shares(0.5, 256).cap()).isEqualTo(128);
    assertThat(shares(0.25, 8).cap()).isEqualTo(2);
    assertThat(shares(0.01, 8).cap()).isEqualTo(1);
  }

  @Test
  void a_tenant_at_its_share_of_a_host_is_refused_there_while_other_tenants_and_hosts_are_not() {
    TenantShares shares = shares(0.25, 8);
    ModelRoute a = route("dep-a", "https://api.example.com/v1");
    ModelRoute sameHost = route("dep-b", "https://API.example.com:443/other");
    ModelRoute otherHost = route("dep-c", "https://eu.example.com/v1");

    assertThat(shares.tryAcquire("acme", a)).isNotNull();
    assertThat(shares.tryAcquire("acme", sameHost)).isNotNull();

    assertThat(shares.tryAcquire("acme", a)).isNull();
    assertThat(shares.tryAcquire("acme", sameHost)).as("one pool per host, whatever the deployment").isNull();
    assertThat(shares.tryAcquire("acme", otherHost)).isNotNull();
    assertThat(shares.tryAcquire("globex", a)).isNotNull();
  }

  @Test
  void a_slot_released_twice_frees_one_place_only() {
    TenantShares shares = shares(0.25, 8);
    ModelRoute a = route("dep-a", "http://127.0.0.1:9000");
    TenantShares.Slot first = shares.tryAcquire("acme", a);
    shares.tryAcquire("acme", a);

    first.release();
    first.release();

    assertThat(shares.inFlight("acme", a)).isEqualTo(1);
    assertThat(shares.tryAcquire("acme", a)).isNotNull();
    assertThat(shares.tryAcquire("acme", a)).isNull();
  }

  private static TenantShares shares(double share, int connections) {
    return TenantShares.from(ConfigFactory.parseString(
        "tollgate.upstream { tenant-share = " + share + ", max-connections = " + connections + " }"), METRICS);
  }

  private static ModelRoute route(String id, String baseUrl) {
    ProviderEndpoint endpoint = new ProviderEndpoint("p-" + id, BackendSchema.OPENAI, baseUrl, Secret.of("k"), null, null, Map.of());
    Price price = new Price(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);
    return new ModelRoute("m", endpoint, "upstream-" + id, price, id, "", 1, 1, 0);
  }
}
