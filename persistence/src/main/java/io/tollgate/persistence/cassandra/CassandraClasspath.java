package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime classpath of {@code org.apache.cassandra:cassandra-all}, resolved once by Maven
 * into {@code ~/.cache/tollgate/cassandra-<version>/classpath.txt} and read from there afterwards.
 * A file lock makes a first resolution from two JVMs at once safe.
 */
final class CassandraClasspath {

  static final String VERSION = "5.0.9";

  private static final Logger log = LoggerFactory.getLogger(CassandraClasspath.class);
  private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
  private static final long MAVEN_TIMEOUT_MINUTES = 15;

  private CassandraClasspath() {}

  /** The cached classpath, resolving it with {@code mvn} when missing or when a jar in it is gone. */
  static synchronized List<Path> resolve() {
    Path dir = cacheDir();
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        Optional<List<Path>> cached = readComplete(dir.resolve("classpath.txt"));
        if (cached.isPresent()) {
          return cached.get();
        }
        runMaven(dir);
        return readComplete(dir.resolve("classpath.txt"))
            .orElseThrow(() -> new CassandraStartException(
                "Maven resolved a classpath without cassandra-all or with missing jars, see " + dir.resolve("mvn.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Cassandra classpath in " + dir, e);
    }
  }

  /** The jamm jar Cassandra needs as a java agent. */
  static Path jammAgent(List<Path> classpath) {
    return classpath.stream()
        .filter(p -> p.getFileName().toString().matches("jamm-.*\\.jar"))
        .findFirst()
        .orElseThrow(() -> new CassandraStartException("no jamm jar on the Cassandra classpath"));
  }

  static Path cacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "tollgate", "cassandra-" + VERSION);
  }

  private static Optional<List<Path>> readComplete(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file).trim();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    List<Path> jars = Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of).toList();
    boolean complete = jars.stream().allMatch(Files::isRegularFile)
        && jars.stream().anyMatch(p -> p.getFileName().toString().equals("cassandra-all-" + VERSION + ".jar"));
    return complete ? Optional.of(jars) : Optional.empty();
  }

  private static void runMaven(Path dir) throws IOException {
    Files.writeString(dir.resolve("pom.xml"), pom());
    Path out = dir.resolve("classpath.txt.tmp");
    Path mavenLog = dir.resolve("mvn.log");
    Files.deleteIfExists(out);
    log.info("Resolving cassandra-all {} with Maven (the first time downloads about 67 MB)", VERSION);
    List<String> command = List.of(
        "mvn", "-B", "-q", "-f", dir.resolve("pom.xml").toString(),
        DEPENDENCY_PLUGIN + ":build-classpath", "-Dmdep.outputFile=" + out);
    Process maven = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(mavenLog.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    try {
      if (!maven.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        maven.destroyForcibly();
        throw new CassandraStartException("Maven did not resolve cassandra-all within "
            + MAVEN_TIMEOUT_MINUTES + " minutes:\n" + LogTail.of(mavenLog, 40));
      }
    } catch (InterruptedException e) {
      maven.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CassandraStartException("interrupted while Maven resolved cassandra-all", e);
    }
    if (maven.exitValue() != 0 || !Files.isRegularFile(out)) {
      throw new CassandraStartException("Maven could not resolve cassandra-all " + VERSION + " (exit "
          + maven.exitValue() + "):\n" + LogTail.of(mavenLog, 40));
    }
    Files.move(out, dir.resolve("classpath.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String pom() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Written by Tollgate's CassandraLauncher to resolve the Cassandra server's classpath. -->
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>io.tollgate.tools</groupId>
          <artifactId>cassandra-runtime</artifactId>
          <version>%s</version>
          <packaging>pom</packaging>
          <dependencies>
            <dependency>
              <groupId>org.apache.cassandra</groupId>
              <artifactId>cassandra-all</artifactId>
              <version>%s</version>
            </dependency>
          </dependencies>
        </project>
        """.formatted(VERSION, VERSION);
  }
}
