package io.tollgate.persistence.cassandra;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny {@code sh} process that ends Cassandra when the JVM that started it dies without running
 * its shutdown hooks (SIGKILL, crash). It polls both PIDs every 2 s and exits by itself once
 * Cassandra is gone, so a normal stop needs nothing from it.
 */
final class OrphanWatchdog {

  private static final Logger log = LoggerFactory.getLogger(OrphanWatchdog.class);

  // $1 = owner JVM pid, $2 = Cassandra pid, $3 = pid file. A zombie counts as dead; the kill only
  // goes to a process that still runs CassandraDaemon, in case the PID was reused.
  private static final String SCRIPT = """
      alive() { { read -r l < /proc/$1/stat; } 2>/dev/null || return 1; s=${l##*) }; s=${s%% *}; [ "$s" != Z ] && [ "$s" != X ]; }
      ours() { alive "$1" && grep -q CassandraDaemon /proc/$1/cmdline 2>/dev/null; }
      while alive "$1" && alive "$2"; do sleep 2; done
      if ours "$2"; then
        kill -TERM "$2" 2>/dev/null
        i=0
        while [ $i -lt 15 ] && alive "$2"; do sleep 1; i=$((i+1)); done
        if ours "$2"; then kill -KILL "$2" 2>/dev/null; fi
        rm -f "$3"
      fi
      """;

  private OrphanWatchdog() {}

  static void spawn(long ownerPid, long cassandraPid, Path pidFile) {
    try {
      new ProcessBuilder("sh", "-c", SCRIPT, "tollgate-cassandra-watchdog",
              Long.toString(ownerPid), Long.toString(cassandraPid), pidFile.toString())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      // Shutdown hooks still stop Cassandra; only a SIGKILL of this JVM would leave it running.
      log.warn("Cannot start the Cassandra watchdog (sh): {}", e.toString());
    }
  }
}
