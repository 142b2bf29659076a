package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cassandra JVM started by {@link CassandraLauncher}. Owns its process: {@link #stop()} ends it
 * (SIGTERM, then SIGKILL after 20 s), and so do a shutdown hook of this JVM and a watchdog process
 * that outlives this JVM if it is killed.
 */
public final class EmbeddedCassandra implements AutoCloseable {

  static final String PID_FILE = "cassandra.pid";
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private final Process process;
  private final String host;
  private final int port;
  private final int storagePort;
  private final Path dataDir;
  private final Path logFile;
  private final Thread shutdownHook;
  private boolean stopped;

  EmbeddedCassandra(Process process, String host, int port, int storagePort, Path dataDir, Path logFile) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.storagePort = storagePort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    writePidFile();
    OrphanWatchdog.spawn(ProcessHandle.current().pid(), process.pid(), pidFile());
    this.shutdownHook = new Thread(this::stop, "cassandra-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public String host() {
    return host;
  }

  /** The CQL (native transport) port. */
  public int port() {
    return port;
  }

  /** The inter-node (gossip) port; nothing outside Cassandra needs it. */
  public int storagePort() {
    return storagePort;
  }

  /** {@code <host>:<port>}, the form of {@code TOLLGATE_CASSANDRA} and the driver's contact points. */
  public String contactPoint() {
    return host + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Where Cassandra's stdout and stderr go. */
  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Completes when the Cassandra process has exited, for whatever reason. */
  public CompletableFuture<Void> onExit() {
    return process.onExit().thenApply(p -> null);
  }

  /** Ends the Cassandra process and waits for it; safe to call more than once and from any thread. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting: the hook runs (or ran) and finds this instance already stopped.
      }
    }
    ProcessKill.terminate(process.toHandle(), STOP_GRACE);
    awaitReaped();
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", pidFile(), e.toString());
    }
    log.info("Cassandra on {} (pid {}) stopped", contactPoint(), pid());
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "EmbeddedCassandra[" + contactPoint() + ", pid " + pid() + ", " + dataDir + "]";
  }

  /** Lets {@link Process#isAlive()} catch up: the JDK records the exit just after reaping the child. */
  private void awaitReaped() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path pidFile() {
    return dataDir.resolve(PID_FILE);
  }

  private void writePidFile() {
    try {
      Files.writeString(pidFile(), Long.toString(process.pid()));
    } catch (IOException e) {
      process.destroyForcibly();
      throw new CassandraStartException("cannot write " + pidFile() + ": " + e, e);
    }
  }
}
