package io.tollgate.persistence.cassandra;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The command line of the Cassandra JVM: the flags of Cassandra's own {@code jvm17-server.options}. */
final class CassandraJvm {

  static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  private static final List<String> MODULE_ACCESS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED");

  private CassandraJvm() {}

  static List<String> command(Path java, List<Path> classpath, String heap, Path dataDir, boolean rackDc) {
    String data = dataDir.toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(List.of(
        "-Xms" + heap, "-Xmx" + heap, "-Xss512k",
        "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled", "-XX:MaxTenuringThreshold=1",
        "-XX:+PerfDisableSharedMem", "-XX:+ExitOnOutOfMemoryError",
        "-XX:MaxDirectMemorySize=256m",
        "-javaagent:" + CassandraClasspath.jammAgent(classpath),
        "-Djdk.attach.allowAttachSelf=true"));
    cmd.addAll(MODULE_ACCESS);
    cmd.addAll(List.of(
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dio.netty.allocator.useCacheForAllThreads=true",
        "-Dio.netty.allocator.maxOrder=11",
        "-Djava.net.preferIPv4Stack=true",
        "-Dcassandra.config=" + CassandraFiles.yaml(dataDir).toUri(),
        "-Dlogback.configurationFile=" + CassandraFiles.logback(dataDir).toUri(),
        "-Dcassandra.storagedir=" + data,
        "-Dcassandra.logdir=" + data,
        "-Dcassandra.triggers_dir=" + dataDir.resolve("triggers"),
        "-Dcassandra-foreground=yes",
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=1000",
        "-Dcassandra.superuser_setup_delay_ms=0"));
    if (rackDc) {
      cmd.add("-Dcassandra-rackdc.properties=" + CassandraFiles.rackDc(dataDir).toUri());
    }
    cmd.addAll(List.of(
        "-cp",
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
        MAIN_CLASS));
    return cmd;
  }
}
