package io.tollgate.node.api;

import static io.tollgate.node.testing.Calls.chatBody;
import static io.tollgate.node.testing.Calls.openAiChat;
import static io.tollgate.node.testing.Calls.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.TestGateway;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class KeyRevocationTest extends FreshTenantTest {

  @Test
  void a_revoked_key_is_refused_within_a_second() {
    assertThat(gateway.send(openAiChat(gateway.url(), tenant.key().secret(), chatBody("demo-openai", "hi"))).statusCode())
        .isEqualTo(200);

    gateway.revoke(tenant.id(), tenant.key().keyId());

    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(gateway.send(openAiChat(gateway.url(), tenant.key().secret(), chatBody("demo-openai", "hi"))).statusCode())
            .isEqualTo(401));
  }

  @Test
  void a_new_key_works_at_once_and_never_appears_in_listings() {
    assertThat(gateway.send(openAiChat(gateway.url(), tenant.key().secret(), chatBody("demo-openai", "hi"))).statusCode())
        .isEqualTo(200);
    String listing = gateway.send(
        request(gateway.url() + "/admin/tenants/" + tenant.id() + "/keys", "GET", TestGateway.ADMIN_TOKEN, null).build()).body();
    assertThat(listing).contains(tenant.key().keyId()).doesNotContain(tenant.key().secret());
  }
}
