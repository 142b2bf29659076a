package io.tollgate.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The environment that makes a node JVM's wall clock run {@code offset} ahead of (or behind) this
 * machine's, the whole process over, as on a host whose clock is off: libfaketime preloaded, its
 * monotonic clock and timed waits left alone (as NTP trouble leaves them). libfaketime is Debian's {@code faketime}
 * package; where it is missing and this runs as root with apt-get, it is installed once, so the
 * README's test command needs nothing else on such a machine.
 */
public final class SkewedClock {
  private static final List<Path> LIBRARIES = List.of(
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"),
      Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1"),
      Path.of("/usr/lib/faketime/libfaketimeMT.so.1"),
      Path.of("/usr/local/lib/faketime/libfaketimeMT.so.1"));

  private SkewedClock() {}

  public static Map<String, String> environment(Duration offset) {
    return Map.of(
        "LD_PRELOAD", library().toString(),
        "FAKETIME", (offset.isNegative() ? "-" : "+") + offset.abs().toSeconds() + "s",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        // Its fix for pthread_cond_timedwait makes the JVM's timed parks return at once (the node spins).
        "FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }

  private static synchronized Path library() {
    Path found = find();
    if (found == null && installable()) {
      install();
      found = find();
    }
    if (found == null) {
      throw new IllegalStateException("Skewed-clock tests need libfaketime: install Debian's faketime package "
          + "(apt-get install faketime), or run the tests as root where apt-get works. Looked in " + LIBRARIES);
    }
    return found;
  }

  private static Path find() {
    return LIBRARIES.stream().filter(Files::isReadable).findFirst().orElse(null);
  }

  private static boolean installable() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/apt-get"));
  }

  private static void install() {
    try {
      Process p = new ProcessBuilder("sh", "-c",
          "apt-get install -y -qq faketime || (apt-get update -qq && apt-get install -y -qq faketime)")
          .inheritIO().start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // find() reports it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
