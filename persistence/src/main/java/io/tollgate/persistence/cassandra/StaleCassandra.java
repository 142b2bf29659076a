package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cassandra left running on a data folder by a crashed earlier run: found by the PID file and
 * stopped before a new one starts there. A PID whose process is not a {@code CassandraDaemon} on
 * that same folder (the PID was reused) is left alone.
 */
final class StaleCassandra {

  private static final Logger log = LoggerFactory.getLogger(StaleCassandra.class);

  private StaleCassandra() {}

  static void stopIfRunning(Path dataDir) {
    Path pidFile = dataDir.resolve(EmbeddedCassandra.PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      boolean ours = ProcessKill.isRunning(pid)
          && ProcessKill.commandLine(pid)
              .filter(cmd -> cmd.contains("CassandraDaemon") && cmd.contains(dataDir.toString()))
              .isPresent();
      if (ours) {
        log.warn("Stopping a stale Cassandra (pid {}) left running on {}", pid, dataDir);
        ProcessHandle.of(pid).ifPresent(p -> ProcessKill.terminate(p, EmbeddedCassandra.STOP_GRACE));
        if (ProcessKill.isRunning(pid)) {
          throw new CassandraStartException("a stale Cassandra (pid " + pid + ") on " + dataDir + " does not stop");
        }
      }
      Files.deleteIfExists(pidFile);
    } catch (NumberFormatException | IOException e) {
      log.warn("Ignoring unreadable pid file {}: {}", pidFile, e.toString());
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException ignored) {
        // A new pid file is written over it on start.
      }
    }
  }
}
