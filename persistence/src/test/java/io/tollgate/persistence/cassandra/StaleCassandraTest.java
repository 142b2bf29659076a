package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leftover process is played by {@code tail -f <dir>/CassandraDaemon.marker}: its command line
 * names CassandraDaemon and the folder, as a real leftover Cassandra's does.
 */
class StaleCassandraTest {

  private final Path dataDir = TestDirs.fresh("stale-test");
  private final Path otherDir = TestDirs.fresh("stale-test-other");
  private Process leftover;

  @AfterEach
  void cleanUp() throws IOException {
    if (leftover != null) {
      leftover.destroyForcibly();
    }
    TestDirs.delete(dataDir);
    TestDirs.delete(otherDir);
  }

  @Test
  void a_process_left_running_on_the_same_data_folder_is_stopped() throws IOException {
    leftover = pretendCassandraOn(dataDir);
    Files.writeString(dataDir.resolve("cassandra.pid"), Long.toString(leftover.pid()));

    StaleCassandra.stopIfRunning(dataDir);

    assertThat(ProcessKill.awaitGone(leftover.pid(), Duration.ofSeconds(5))).isTrue();
    assertThat(dataDir.resolve("cassandra.pid")).doesNotExist();
  }

  @Test
  void a_recorded_pid_now_used_by_another_process_is_left_alone() throws IOException {
    leftover = pretendCassandraOn(otherDir);
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("cassandra.pid"), Long.toString(leftover.pid()));

    StaleCassandra.stopIfRunning(dataDir);

    assertThat(leftover.isAlive()).isTrue();
    assertThat(dataDir.resolve("cassandra.pid")).doesNotExist();
  }

  @Test
  void a_pid_file_of_a_process_that_is_gone_is_cleared() throws IOException {
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("cassandra.pid"), "999999999");

    StaleCassandra.stopIfRunning(dataDir);

    assertThat(dataDir.resolve("cassandra.pid")).doesNotExist();
  }

  private static Process pretendCassandraOn(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path marker = Files.writeString(dir.resolve("CassandraDaemon.marker"), "");
    return new ProcessBuilder("tail", "-f", marker.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
