package io.tollgate.persistence.cassandra;

import com.typesafe.config.Config;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real Cassandra 5.0 as its own JVM (JDK 17) on loopback, with its own data folder, for
 * dev runs and tests. The returned {@link EmbeddedCassandra} answers CQL; it is stopped by
 * {@link EmbeddedCassandra#stop()}, by a shutdown hook, and by a watchdog process when the JVM that
 * started it dies without running its hooks.
 */
public final class CassandraLauncher {

  private static final Logger log = LoggerFactory.getLogger(CassandraLauncher.class);

  private CassandraLauncher() {}

  /** What to start: data folder, heap, ports (0 picks a free one), startup timeout and log file. */
  public record Options(
      Path dataDir,
      String heap,
      int nativePort,
      int storagePort,
      Duration startupTimeout,
      Path logFile,
      Placement placement) {

    public static final String DEFAULT_HEAP = "256m";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);
    public static final String LOG_FILE_NAME = "cassandra.log";

    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(heap, "heap");
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      if (!heap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 256m or 1g: " + heap);
      }
      if (nativePort < 0 || nativePort > 65535 || storagePort < 0 || storagePort > 65535) {
        throw new IllegalArgumentException("ports must be 0..65535");
      }
      if (nativePort != 0 && nativePort == storagePort) {
        throw new IllegalArgumentException("native and storage port must differ");
      }
      dataDir = dataDir.toAbsolutePath().normalize();
      placement = placement == null ? Placement.LOOPBACK : placement;
      logFile = logFile == null ? dataDir.resolve(LOG_FILE_NAME) : logFile.toAbsolutePath();
    }

    /** Defaults: 256m heap, free ports, 180 s to start, log in {@code <dataDir>/cassandra.log}. */
    public static Options of(Path dataDir) {
      return new Options(dataDir, DEFAULT_HEAP, 0, 0, DEFAULT_STARTUP_TIMEOUT, null, Placement.LOOPBACK);
    }

    /**
     * Reads {@code tollgate.cassandra.embedded.data-dir} and {@code .heap}; missing keys take the
     * defaults ({@code .tollgate/cassandra}, 256m).
     */
    public static Options fromConfig(Config config) {
      String base = "tollgate.cassandra.embedded.";
      String dir = config.hasPath(base + "data-dir") ? config.getString(base + "data-dir") : ".tollgate/cassandra";
      String heap = config.hasPath(base + "heap") ? config.getString(base + "heap") : DEFAULT_HEAP;
      return of(Path.of(dir)).withHeap(heap);
    }

    public Options withHeap(String newHeap) {
      return new Options(dataDir, newHeap, nativePort, storagePort, startupTimeout, logFile, placement);
    }

    public Options withNativePort(int port) {
      return new Options(dataDir, heap, port, storagePort, startupTimeout, logFile, placement);
    }

    public Options withStoragePort(int port) {
      return new Options(dataDir, heap, nativePort, port, startupTimeout, logFile, placement);
    }

    public Options withStartupTimeout(Duration timeout) {
      return new Options(dataDir, heap, nativePort, storagePort, timeout, logFile, placement);
    }

    public Options withLogFile(Path file) {
      return new Options(dataDir, heap, nativePort, storagePort, startupTimeout, file, placement);
    }

    public Options withPlacement(Placement where) {
      return new Options(dataDir, heap, nativePort, storagePort, startupTimeout, logFile, where);
    }
  }

  /**
   * Where the node runs and whom it joins: its listen and CQL address, its data center (null: the
   * one data center {@code datacenter1}), the storage addresses ({@code host:port}) of the seeds it
   * joins (empty: it is its own seed) and a command its JVM is started under (e.g. {@code ip netns
   * exec <name>} to run it in a network namespace of its own). Several placements make a cluster of
   * several data centers on one machine, for tests of what crosses regions.
   */
  public record Placement(String host, String dataCenter, List<String> seeds, List<String> launchPrefix) {
    public static final Placement LOOPBACK = new Placement("127.0.0.1", null, List.of(), List.of());

    public Placement {
      Objects.requireNonNull(host, "host");
      seeds = List.copyOf(seeds);
      launchPrefix = List.copyOf(launchPrefix);
    }
  }

  /**
   * Starts Cassandra and returns once a CQL query answers. Blocks for the whole startup (seconds
   * to minutes): never call it on an actor or dispatcher thread.
   *
   * @throws CassandraStartException when it does not answer within the timeout or exits; the
   *     message carries the end of its log
   */
  public static EmbeddedCassandra start(Options options) {
    try {
      return startOnce(options);
    } catch (CassandraStartException e) {
      boolean picked = options.nativePort() == 0 || options.storagePort() == 0;
      // Free ports are picked before Cassandra binds them; another process may take one in between.
      if (picked && e.getMessage().contains("Address already in use")) {
        log.warn("Cassandra lost a picked port to another process, starting again on new ports");
        return startOnce(options);
      }
      throw e;
    }
  }

  private static EmbeddedCassandra startOnce(Options options) {
    Path dataDir = options.dataDir();
    StaleCassandra.stopIfRunning(dataDir);
    List<Path> classpath = CassandraClasspath.resolve();
    Path java = Jdk17.javaExecutable();
    int nativePort = options.nativePort() != 0 ? options.nativePort() : FreePort.pick();
    int storagePort = options.storagePort() != 0 ? options.storagePort() : FreePort.pickOtherThan(nativePort);
    Placement placement = options.placement();
    CassandraFiles.write(dataDir, nativePort, storagePort, placement);

    List<String> command = new ArrayList<>(placement.launchPrefix());
    command.addAll(CassandraJvm.command(java, classpath, options.heap(), dataDir, placement.dataCenter() != null));
    Process process = launch(command, dataDir, options.logFile());
    EmbeddedCassandra cassandra =
        new EmbeddedCassandra(process, placement.host(), nativePort, storagePort, dataDir, options.logFile());
    log.info("Cassandra starting (pid {}) on {}:{}, data in {}", process.pid(), placement.host(), nativePort, dataDir);
    long started = System.nanoTime();
    try {
      String version = CqlProbe.awaitReady(process, placement, nativePort, options.startupTimeout(), options.logFile());
      log.info(
          "Cassandra {} ready on {} (pid {}) after {} s",
          version,
          cassandra.contactPoint(),
          process.pid(),
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      return cassandra;
    } catch (RuntimeException | Error e) {
      cassandra.stop();
      throw e;
    }
  }

  private static Process launch(List<String> command, Path dataDir, Path logFile) {
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.writeString(logFile, "");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Cassandra JVM " + command.get(0), e);
    }
  }
}
