package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Ends processes by PID: SIGTERM, a grace period, then SIGKILL. Liveness reads {@code /proc} so
 * that a zombie (an exited process nobody reaped, common when PID 1 does not reap orphans) counts
 * as gone.
 */
final class ProcessKill {

  private static final Duration AFTER_KILL = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 100;

  private ProcessKill() {}

  /** SIGTERM, wait up to {@code grace}, then SIGKILL and wait a little more. True when it is gone. */
  static boolean terminate(ProcessHandle process, Duration grace) {
    if (!isRunning(process.pid())) {
      return true;
    }
    process.destroy();
    if (awaitGone(process, grace)) {
      return true;
    }
    process.destroyForcibly();
    return awaitGone(process, AFTER_KILL);
  }

  /** True while the process exists and has not exited (zombies count as exited). */
  static boolean isRunning(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.isDirectory(Path.of("/proc", "self"))) {
      try {
        String line = Files.readString(stat, StandardCharsets.UTF_8);
        // Format: "pid (comm) S ...": the state letter follows the last ')'.
        String afterName = line.substring(line.lastIndexOf(')') + 1).trim();
        char state = afterName.isEmpty() ? 'X' : afterName.charAt(0);
        return state != 'Z' && state != 'X';
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The process's full command line, arguments separated by spaces, when it can be read. */
  static Optional<String> commandLine(long pid) {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        String text = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
  }

  /** Waits up to {@code timeout} for the process to be gone. */
  static boolean awaitGone(ProcessHandle process, Duration timeout) {
    return awaitGone(process.pid(), timeout);
  }

  /** Waits up to {@code timeout} for the process to be gone; works for processes that are not our children. */
  static boolean awaitGone(long pid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !isRunning(pid);
      }
    }
    return true;
  }
}
