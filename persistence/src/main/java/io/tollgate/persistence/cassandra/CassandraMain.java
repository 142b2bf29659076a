package io.tollgate.persistence.cassandra;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Runs one embedded Cassandra in the foreground for scripts that start several nodes on one
 * Cassandra: {@code CassandraMain --data DIR [--port N] [--storage-port N] [--heap 256m]}. Prints
 * {@code CASSANDRA_CONTACT_POINT=127.0.0.1:<port>} and {@code CASSANDRA_PID=<pid>} when CQL answers;
 * SIGTERM (or Ctrl-C) stops Cassandra; exits 1 if Cassandra dies on its own.
 */
public final class CassandraMain {

  private CassandraMain() {}

  public static void main(String[] args) throws InterruptedException {
    CassandraLauncher.Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: CassandraMain --data DIR [--port N] [--storage-port N] [--heap 256m]");
      System.exit(2);
      return;
    }
    EmbeddedCassandra cassandra;
    try {
      cassandra = CassandraLauncher.start(options);
    } catch (RuntimeException e) {
      System.err.println("Cassandra did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("CASSANDRA_CONTACT_POINT=" + cassandra.contactPoint());
    System.out.println("CASSANDRA_PID=" + cassandra.pid());
    System.out.flush();
    try {
      cassandra.onExit().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    // Reached when Cassandra died by itself; on SIGTERM the shutdown hook is already stopping the JVM.
    System.err.println("Cassandra exited; see " + cassandra.logFile());
    System.exit(1);
  }

  static CassandraLauncher.Options parse(String[] args) {
    Path data = null;
    int port = 0;
    int storagePort = 0;
    String heap = CassandraLauncher.Options.DEFAULT_HEAP;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--data" -> data = Path.of(value);
        case "--port" -> port = parsePort(value);
        case "--storage-port" -> storagePort = parsePort(value);
        case "--heap" -> heap = value;
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    return CassandraLauncher.Options.of(data).withNativePort(port).withStoragePort(storagePort).withHeap(heap);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port: " + value, e);
    }
  }
}
