package io.tollgate.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tollgate.node.TollgateNode;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** A weak global admin token stops the node at start with a message that says how to fix it. */
class AdminTokenStrengthTest {

  @Test
  void short_or_repetitive_tokens_are_refused_with_a_clear_message() {
    assertThat(AdminTokenStrength.problem("admin", 16, 8)).hasValueSatisfying(m -> assertThat(m)
        .contains("TOLLGATE_ADMIN_TOKEN", "at least 16 characters", "openssl rand").doesNotContain("admin\""));
    assertThat(AdminTokenStrength.problem("aaaaaaaaaaaaaaaaaaaaaaaa", 16, 8)).isPresent();
    assertThat(AdminTokenStrength.problem("abababababababababab", 16, 8)).isPresent();
  }

  @Test
  void a_random_token_or_none_at_all_is_accepted() {
    assertThat(AdminTokenStrength.problem("6f1c0e9a2b7d4c3e8f5a1b2c3d4e5f60", 16, 8)).isEmpty();
    assertThat(AdminTokenStrength.problem("", 16, 8)).as("no token: the admin API is off").isEmpty();
  }

  @Test
  void a_node_with_the_token_admin_does_not_start_and_says_why() {
    var config = ConfigFactory.parseString("tollgate.admin-token = admin\npekko.remote.artery.canonical.port = 0\n"
            + "pekko.loglevel = WARNING")
        .withFallback(ConfigFactory.parseResources("application.conf")).withFallback(ConfigFactory.defaultReference())
        .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "weak-admin-token", config);
    try {
      assertThatThrownBy(() -> TollgateNode.start(system).toCompletableFuture().get(30, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalArgumentException.class)
          .rootCause().hasMessageContaining("admin token").hasMessageContaining("too weak");
    } finally {
      system.terminate();
    }
  }

  @Test
  void the_node_settings_decide_the_rules() {
    var config = ConfigFactory.parseString("tollgate.admin-token = \"short-but-distinct\"\n"
        + "tollgate.security.admin-token { min-length = 32, min-distinct = 8 }");

    assertThat(AdminTokenStrength.problem(config)).hasValueSatisfying(m -> assertThat(m).contains("at least 32"));
  }
}
