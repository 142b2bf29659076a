package io.tollgate.persistence.audit;

import io.tollgate.persistence.region.ReplicationClause;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The statements of {@code ddl/tollgate.cql}, with its placeholders filled in. */
final class AuditSchema {
  static final String RESOURCE = "ddl/tollgate.cql";
  private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");
  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(\\n|$)");

  private AuditSchema() {}

  /** The DDL statements for {@code keyspace} with SimpleStrategy replication {@code replicationFactor}. */
  static List<String> statements(String keyspace, int replicationFactor) {
    return statements(keyspace, ReplicationClause.simple(replicationFactor));
  }

  /** The DDL statements for {@code keyspace} with replication {@code replication} (see {@link ReplicationClause}). */
  static List<String> statements(String keyspace, String replication) {
    if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
      throw new IllegalArgumentException("invalid keyspace name: " + keyspace);
    }
    String text = Arrays.stream(read().split("\n"))
        .filter(line -> !line.strip().startsWith("--"))
        .collect(Collectors.joining("\n"))
        .replace("${keyspace}", keyspace)
        .replace("${replication}", replication);
    return Arrays.stream(STATEMENT_END.split(text))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String read() {
    try (InputStream in = AuditSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
