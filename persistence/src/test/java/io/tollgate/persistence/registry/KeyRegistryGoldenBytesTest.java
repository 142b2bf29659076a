package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.registry.KeyRegistry.KeyCreated;
import io.tollgate.persistence.registry.KeyRegistry.KeyRevoked;
import io.tollgate.persistence.registry.KeyRegistry.State;
import io.tollgate.persistence.registry.KeyRegistry.TenantCreated;
import io.tollgate.persistence.testing.GoldenBytes;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's events and snapshot state are a frozen schema: old bytes must still load. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRegistryGoldenBytesTest {
  private static final Instant T1 = Instant.parse("2025-01-02T03:04:05.678Z");
  private static final Instant T2 = Instant.parse("2025-01-03T04:05:06.789Z");
  private static final String HASH = ApiKeys.sha256Hex("tg_golden_0123456789abcdef");

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("KeyRegistryGoldenBytesTest").withCustomConfig(KeyRegistryTest.CONFIG).build();

  @Test
  void tenant_created_written_by_0_1_0_still_loads() throws IOException {
    assertThat(load("TenantCreated", "io.tollgate.persistence.registry.KeyRegistry$TenantCreated"))
        .isEqualTo(new TenantCreated("acme", "Acme Corp", T1));
  }

  @Test
  void key_created_written_by_0_1_0_still_loads() throws IOException {
    assertThat(load("KeyCreated", "io.tollgate.persistence.registry.KeyRegistry$KeyCreated"))
        .isEqualTo(new KeyCreated("key_0123456789abcdef", "acme", "ci key", HASH, List.of("demo-openai", "gpt-4o"), T1));
  }

  @Test
  void key_created_written_before_teams_existed_loads_without_a_team() throws IOException {
    KeyCreated created = (KeyCreated) load("KeyCreated", "io.tollgate.persistence.registry.KeyRegistry$KeyCreated");

    assertThat(created.team()).isNull();
  }

  @Test
  void registry_snapshot_written_before_teams_existed_loads_keys_without_a_team() throws IOException {
    State state = (State) load("State", "io.tollgate.persistence.registry.KeyRegistry$State");

    assertThat(state.keys().values()).isNotEmpty().allSatisfy(k -> assertThat(k.team()).isNull());
  }

  @Test
  void key_revoked_written_by_0_1_0_still_loads() throws IOException {
    assertThat(load("KeyRevoked", "io.tollgate.persistence.registry.KeyRegistry$KeyRevoked"))
        .isEqualTo(new KeyRevoked("acme", "key_0123456789abcdef", T2));
  }

  @Test
  void registry_snapshot_state_written_by_0_1_0_still_loads() throws IOException {
    KeyInfo key = new KeyInfo("key_0123456789abcdef", "acme", "ci key", HASH, List.of("demo-openai", "gpt-4o"), true, T1, T2);
    State expected = new State(3, 3, Map.of("acme", new TenantInfo("acme", "Acme Corp", T1)), Map.of(key.keyId(), key));

    assertThat(load("State", "io.tollgate.persistence.registry.KeyRegistry$State")).isEqualTo(expected);
  }

  private Object load(String name, String manifest) throws IOException {
    return GoldenBytes.load(testKit.system(), "registry", name, manifest);
  }
}
