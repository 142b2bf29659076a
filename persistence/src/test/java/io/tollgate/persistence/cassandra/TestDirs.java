package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Fresh folders under target/ for one test, and their removal. */
final class TestDirs {

  private TestDirs() {}

  static Path fresh(String prefix) {
    return Path.of("target", prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
