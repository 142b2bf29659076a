package io.tollgate.node.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Tollgate node ({@code io.tollgate.node.Main}) in its own JVM, started with this test JVM's
 * java and classpath. Its settings are {@code -D} system properties (which {@code
 * ConfigFactory.load()} puts above application.conf, before substitutions are resolved) and
 * environment variables. Its stdout and stderr go to one log file, so no pipe can fill up; the
 * node is ready once it prints {@code TOLLGATE_READY url=}.
 *
 * <p>A small {@code sh} watchdog kills the node if this test JVM dies without running its shutdown
 * hooks (surefire's timeout kill), so no node outlives the test run.
 */
public final class NodeProcess {
  private static final String READY = "TOLLGATE_READY url=";
  public static final String MAIN = "io.tollgate.node.Main";
  public static final String LOOPBACK = "127.0.0.1";
  // $1 = owner JVM pid, $2 = node pid. A zombie counts as dead; the kill only goes to a process
  // that still runs a node main class (io.tollgate.node...), in case the pid was reused.
  private static final String WATCHDOG = """
      alive() { { read -r l < /proc/$1/stat; } 2>/dev/null || return 1; s=${l##*) }; s=${s%% *}; [ "$s" != Z ] && [ "$s" != X ]; }
      while alive "$1" && alive "$2"; do sleep 1; done
      if alive "$2" && grep -q io.tollgate.node /proc/$2/cmdline 2>/dev/null; then kill -KILL "$2" 2>/dev/null; fi
      """;

  private final String name;
  private final String host;
  private final int httpPort;
  private final int clusterPort;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, String host, int httpPort, int clusterPort, Process process, Path log) {
    this.name = name;
    this.host = host;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a node JVM; returns at once (see {@link #awaitReady}).
   *
   * @param properties system properties ({@code -Dkey=value}) for the node's config
   * @param env extra environment variables
   */
  public static NodeProcess start(String name, int httpPort, int clusterPort, Map<String, String> properties,
      Map<String, String> env, String heap, Path logDir) {
    return start(name, httpPort, clusterPort, properties, env, heap, logDir, MAIN);
  }

  /**
   * Starts a node JVM with another main class (a test's own, which must print the same ready
   * line); returns at once (see {@link #awaitReady}).
   */
  public static NodeProcess start(String name, int httpPort, int clusterPort, Map<String, String> properties,
      Map<String, String> env, String heap, Path logDir, String mainClass) {
    return start(name, LOOPBACK, List.of(), httpPort, clusterPort, properties, env, heap, logDir, mainClass);
  }

  /**
   * Starts a node JVM that listens on {@code host} (its HTTP and cluster ports; the caller's
   * properties must say so too), under {@code launchPrefix} (e.g. {@code ip netns exec <name>}, which
   * keeps the pid); returns at once.
   */
  public static NodeProcess start(String name, String host, List<String> launchPrefix, int httpPort, int clusterPort,
      Map<String, String> properties, Map<String, String> env, String heap, Path logDir, String mainClass) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log").toAbsolutePath();
      Files.writeString(log, "");
      List<String> command = new ArrayList<>(launchPrefix);
      command.add(javaExecutable());
      command.add("-Xmx" + heap);
      command.add("-XX:+UseSerialGC");
      command.add("-XX:+ExitOnOutOfMemoryError");
      command.add("@" + classpathArgFile(logDir));
      properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add(mainClass);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      watch(process.pid());
      return new NodeProcess(name, host, httpPort, clusterPort, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name, e);
    }
  }

  /** Waits for the node's ready line; fails with the end of its log if it dies or times out first. */
  public void awaitReady(Duration timeout) {
    try {
      Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(60));
            }
            return logText().contains(READY);
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail(60), e);
    }
  }

  public String name() {
    return name;
  }

  public String url() {
    return "http://" + host + ":" + httpPort;
  }

  public int clusterPort() {
    return clusterPort;
  }

  /** The node's cluster address as Pekko prints it. */
  public String address() {
    return "pekko://tollgate@" + host + ":" + clusterPort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL (on Linux {@link Process#destroyForcibly} sends SIGKILL): no shutdown hook, no
   * coordinated shutdown, nothing flushed. Returns the exit status, 137 (128 + 9) for a SIGKILL.
   */
  public int kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " (pid " + pid() + ") still runs 30 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** SIGSTOP: the node freezes (a long GC pause, a stalled VM); its sockets stay open and unanswered. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Ends the node (SIGKILL: the test is over, nothing of it is needed any more) and waits briefly. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines of the node's output. */
  public String logTail(int lines) {
    String[] all = logText().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", Arrays.copyOfRange(all, from, all.length));
  }

  public Path log() {
    return log;
  }

  /** Whether some line of the node's output so far contains every one of {@code parts}. */
  public boolean logged(String... parts) {
    return logText().lines().anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The test classpath in a java {@code @argfile}: surefire runs tests from a manifest-only booter
   * jar and publishes the plain classpath as {@code surefire.test.class.path}; a long classpath
   * does not fit in one command-line argument everywhere.
   */
  private static synchronized Path classpathArgFile(Path dir) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path file = dir.resolve("node-classpath.args").toAbsolutePath();
    String content = "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n";
    if (Files.isRegularFile(file) && Files.readString(file).equals(content)) {
      return file;
    }
    // A node JVM started a moment ago may still be reading the file: replace it whole, never truncate it.
    Path next = Files.createTempFile(dir, "node-classpath", ".tmp");
    Files.writeString(next, content);
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static void watch(long nodePid) {
    try {
      new ProcessBuilder("sh", "-c", WATCHDOG, "tollgate-node-watchdog",
              Long.toString(ProcessHandle.current().pid()), Long.toString(nodePid))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      // The shutdown hook of ClusterOfProcesses still ends the node; only a SIGKILL of this JVM would not.
    }
  }
}
