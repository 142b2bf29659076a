package io.tollgate.node.demo;

import static io.tollgate.node.testing.Calls.chatBody;
import static io.tollgate.node.testing.Calls.openAiChat;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.testing.TestGateway;
import io.tollgate.persistence.registry.CreatedKey;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class DemoSetupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void a_preset_demo_key_survives_a_restart_and_serves_chat() throws Exception {
    TestGateway gateway = TestGateway.get();
    String preset = newPresetKey();

    String first = DemoSetup.ensure(gateway.node, preset).toCompletableFuture().get(20, TimeUnit.SECONDS);
    String again = DemoSetup.ensure(gateway.node, preset).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(first).isEqualTo(preset);
    assertThat(again).isEqualTo(preset);
    awaitChatStatus(gateway, preset, 200);
  }

  @Test
  void a_revoked_preset_demo_key_is_replaced_by_a_new_working_key() throws Exception {
    TestGateway gateway = TestGateway.get();
    String preset = newPresetKey();
    DemoSetup.ensure(gateway.node, preset).toCompletableFuture().get(20, TimeUnit.SECONDS);
    gateway.revoke(DemoSetup.TENANT, keyIdOf(gateway, preset));
    awaitChatStatus(gateway, preset, 401);

    String replacement = DemoSetup.ensure(gateway.node, preset).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(replacement).startsWith("tg_").isNotEqualTo(preset);
    awaitChatStatus(gateway, replacement, 200);
    awaitChatStatus(gateway, preset, 401);
  }

  private static String newPresetKey() {
    return "tg_demo_test_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Creating a key with an existing preset secret answers that key, so this finds its id. */
  private static String keyIdOf(TestGateway gateway, String secret) throws Exception {
    CreatedKey existing = gateway.node.keys().create(DemoSetup.TENANT, "demo", List.of(), secret, null)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    return existing.info().keyId();
  }

  private static void awaitChatStatus(TestGateway gateway, String key, int status) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(gateway.send(openAiChat(gateway.url(), key, chatBody("demo-openai", "hi"))).statusCode())
            .isEqualTo(status));
  }
}
