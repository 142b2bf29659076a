package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lays out a Cassandra data folder: {@code conf/cassandra.yaml} and {@code conf/logback.xml} from
 * the templates in {@code /cassandra/}, and the folders the yaml names.
 */
final class CassandraFiles {

  static final String[] DIRECTORIES = {"conf", "data", "commitlog", "saved_caches", "hints", "cdc_raw", "triggers"};

  private CassandraFiles() {}

  static Path yaml(Path dataDir) {
    return dataDir.resolve("conf").resolve("cassandra.yaml");
  }

  static Path logback(Path dataDir) {
    return dataDir.resolve("conf").resolve("logback.xml");
  }

  static Path rackDc(Path dataDir) {
    return dataDir.resolve("conf").resolve("cassandra-rackdc.properties");
  }

  static void write(Path dataDir, int nativePort, int storagePort, CassandraLauncher.Placement placement) {
    try {
      for (String dir : DIRECTORIES) {
        Files.createDirectories(dataDir.resolve(dir));
      }
      boolean ownDataCenter = placement.dataCenter() != null;
      String self = placement.host() + ":" + storagePort;
      String yaml = template("cassandra.yaml.template")
          .replace("{{HOST}}", placement.host())
          .replace("{{SEEDS}}", placement.seeds().isEmpty() ? self : String.join(",", placement.seeds()))
          // A node joining seeds of a new, empty test cluster has nothing to stream.
          .replace("{{AUTO_BOOTSTRAP}}", Boolean.toString(placement.seeds().isEmpty()))
          .replace("{{SNITCH}}", ownDataCenter ? "GossipingPropertyFileSnitch" : "SimpleSnitch")
          // Across data centers, hints carry the writes a partition kept from the other side.
          .replace("{{HINTS}}", Boolean.toString(ownDataCenter))
          .replace("{{STORAGE_PORT}}", Integer.toString(storagePort))
          .replace("{{NATIVE_PORT}}", Integer.toString(nativePort))
          .replace("{{DATA}}", yamlQuoted(dataDir.toString()));
      Files.writeString(yaml(dataDir), yaml);
      Files.writeString(logback(dataDir), template("logback.xml"));
      if (ownDataCenter) {
        Files.writeString(rackDc(dataDir), "dc=" + placement.dataCenter() + "\nrack=rack1\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Cassandra config into " + dataDir, e);
    }
  }

  /** The template places paths inside single quotes, where a quote is written twice. */
  private static String yamlQuoted(String path) {
    return path.replace("'", "''");
  }

  private static String template(String name) throws IOException {
    try (InputStream in = CassandraFiles.class.getResourceAsStream("/cassandra/" + name)) {
      if (in == null) {
        throw new IOException("resource /cassandra/" + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
