package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog: a JVM that started Cassandra is SIGKILLed (no shutdown hooks run), yet Cassandra goes away. */
class OrphanedCassandraTest {

  private final Path dataDir = TestDirs.fresh("orphan-test");
  private Process starter;
  private long cassandraPid = -1;

  @AfterEach
  void cleanUp() throws IOException {
    if (starter != null) {
      starter.destroyForcibly();
    }
    if (cassandraPid > 0 && ProcessKill.isRunning(cassandraPid)) {
      ProcessHandle.of(cassandraPid).ifPresent(ProcessHandle::destroyForcibly);
      ProcessKill.awaitGone(cassandraPid, Duration.ofSeconds(10));
    }
    TestDirs.delete(dataDir);
  }

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void cassandra_goes_away_when_the_jvm_that_started_it_is_killed() throws Exception {
    starter = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-cp", testClasspath(),
            CassandraMain.class.getName(),
            "--data", dataDir.toString())
        .redirectErrorStream(true)
        .start();
    Map<String, String> printed = announcements(starter).get(80, TimeUnit.SECONDS);
    cassandraPid = Long.parseLong(printed.get("CASSANDRA_PID"));
    int port = Integer.parseInt(printed.get("CASSANDRA_CONTACT_POINT").substring("127.0.0.1:".length()));
    assertThat(ProcessKill.isRunning(cassandraPid)).isTrue();

    starter.destroyForcibly().waitFor();

    assertThat(ProcessKill.awaitGone(cassandraPid, Duration.ofSeconds(25)))
        .as("Cassandra pid %d gone after its starter was killed", cassandraPid)
        .isTrue();
    assertThat(FreePort.isFree(port)).isTrue();
  }

  /**
   * Surefire runs tests from a manifest-only booter jar that a concurrent Maven run in the same
   * module may delete; it also publishes the plain test classpath, which is what the child needs.
   */
  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** Completes with the child's CASSANDRA_* lines once both are printed; fails if its output ends first. */
  private static CompletableFuture<Map<String, String>> announcements(Process child) {
    CompletableFuture<Map<String, String>> announced = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      Map<String, String> printed = new HashMap<>();
      Deque<String> lastLines = new ArrayDeque<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lastLines.addLast(line);
          if (lastLines.size() > 20) {
            lastLines.removeFirst();
          }
          int eq = line.indexOf('=');
          if (line.startsWith("CASSANDRA_") && eq > 0) {
            printed.put(line.substring(0, eq), line.substring(eq + 1));
          }
          if (printed.containsKey("CASSANDRA_PID") && printed.containsKey("CASSANDRA_CONTACT_POINT")) {
            announced.complete(Map.copyOf(printed));
          }
        }
      } catch (IOException e) {
        // The child was killed; its output ends.
      }
      announced.completeExceptionally(
          new IllegalStateException("CassandraMain ended before Cassandra was ready:\n" + String.join("\n", lastLines)));
    }, "orphan-test-reader");
    reader.setDaemon(true);
    reader.start();
    return announced;
  }
}
