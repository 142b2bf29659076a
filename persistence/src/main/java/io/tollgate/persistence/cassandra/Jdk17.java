package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a JDK 17 {@code java} for Cassandra 5.0, which runs on Java 11 and 17 only. */
final class Jdk17 {

  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

  private Jdk17() {}

  /** This JVM's {@code java} when it is 17, else the first JDK 17 under {@code /usr/lib/jvm}. */
  static Path javaExecutable() {
    if (Runtime.version().feature() == 17) {
      Path own = Path.of(System.getProperty("java.home"), "bin", "java");
      if (Files.isExecutable(own)) {
        return own;
      }
    }
    return underJvmDir().orElseThrow(() -> new CassandraStartException(
        "Cassandra 5.0 needs JDK 17: this JVM is " + Runtime.version().feature()
            + " and no JDK 17 was found under " + JVM_DIR));
  }

  private static Optional<Path> underJvmDir() {
    if (!Files.isDirectory(JVM_DIR)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(JVM_DIR)) {
      return homes
          .sorted(Comparator.comparing(Path::toString))
          .filter(Jdk17::isJdk17)
          .map(home -> home.resolve("bin").resolve("java"))
          .filter(Files::isExecutable)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isJdk17(Path home) {
    Path release = home.resolve("release");
    try {
      return Files.isRegularFile(release)
          && Files.readAllLines(release).stream()
              .anyMatch(line -> line.startsWith("JAVA_VERSION=\"17\"") || line.startsWith("JAVA_VERSION=\"17."));
    } catch (IOException e) {
      return false;
    }
  }
}
