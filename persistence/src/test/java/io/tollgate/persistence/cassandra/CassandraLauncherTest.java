package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CassandraLauncherTest {

  private static final Path root = TestDirs.fresh("launcher-test");
  private static EmbeddedCassandra first;

  @BeforeAll
  static void startFirst() {
    first = CassandraLauncher.start(CassandraLauncher.Options.of(root.resolve("first")));
  }

  @AfterAll
  static void stopFirst() throws IOException {
    if (first != null) {
      first.stop();
    }
    TestDirs.delete(root);
  }

  @Test
  void answers_cql_on_the_loopback_port_it_reports() {
    Row local = Cql.one(first.port(), "SELECT release_version, cluster_name FROM system.local");

    assertThat(first.contactPoint()).isEqualTo("127.0.0.1:" + first.port());
    assertThat(local.getString("release_version")).startsWith("5.0.");
    assertThat(local.getString("cluster_name")).isEqualTo("tollgate-dev");
  }

  @Test
  void keeps_its_pid_file_and_its_log_in_its_data_folder() {
    assertThat(first.dataDir().resolve("cassandra.pid")).hasContent(Long.toString(first.pid()));
    assertThat(first.logFile()).startsWith(first.dataDir()).content().contains("CassandraDaemon");
  }

  @Test
  void a_second_instance_beside_a_running_one_gets_its_own_ports_and_stop_kills_it_and_frees_its_port() {
    EmbeddedCassandra second = CassandraLauncher.start(CassandraLauncher.Options.of(root.resolve("second")));
    try {
      assertThat(second.port()).isNotIn(first.port(), first.storagePort());
      assertThat(second.storagePort()).isNotIn(first.port(), first.storagePort());
      assertThat(second.pid()).isNotEqualTo(first.pid());
      assertThat(Cql.one(second.port(), "SELECT release_version FROM system.local").getString(0)).startsWith("5.0.");
    } finally {
      second.stop();
    }

    assertThat(ProcessKill.isRunning(second.pid())).isFalse();
    assertThat(second.isRunning()).isFalse();
    assertThat(FreePort.isFree(second.port())).isTrue();
    assertThat(second.dataDir().resolve("cassandra.pid")).doesNotExist();
    assertThat(Cql.one(first.port(), "SELECT release_version FROM system.local")).isNotNull();
  }

  @Test
  void a_cassandra_that_cannot_start_fails_with_the_end_of_its_log() {
    CassandraLauncher.Options tooSmall = CassandraLauncher.Options.of(root.resolve("broken")).withHeap("1k");

    assertThatThrownBy(() -> CassandraLauncher.start(tooSmall))
        .isInstanceOf(CassandraStartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("Too small");
  }
}
