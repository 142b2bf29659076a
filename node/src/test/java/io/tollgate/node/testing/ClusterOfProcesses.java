package io.tollgate.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Tollgate cluster of separate node JVMs on loopback ({@link NodeProcess}), sharing one external
 * Cassandra and one fake provider (per region, through per-node settings, if a test wants). Nodes
 * may be given regions ({@link #startRegions}). The first node is the seed; it starts (and creates the schema)
 * before the others, which then start together and join it. {@link #close} ends every node, and a
 * JVM shutdown hook does too if a test never gets there.
 */
public final class ClusterOfProcesses implements AutoCloseable {
  public static final String ADMIN_TOKEN = "chaos-admin-token";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

  private final List<NodeProcess> nodes;
  private final List<String> regions = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;

  private ClusterOfProcesses(List<NodeProcess> nodes, Thread shutdownHook) {
    this.nodes = nodes;
    this.shutdownHook = shutdownHook;
  }

  /**
   * One node: its region (null in a cluster without regions), settings and environment variables
   * only this node gets (its {@code TOLLGATE_CASSANDRA} wins over the cluster's), the address it
   * listens on and a command it runs under (e.g. {@code ip netns exec <name>}).
   */
  public record NodeSpec(String region, Map<String, String> settings, Map<String, String> env, String host,
      List<String> launchPrefix) {
    public NodeSpec {
      settings = Map.copyOf(settings);
      env = Map.copyOf(env);
      host = host == null ? NodeProcess.LOOPBACK : host;
      launchPrefix = List.copyOf(launchPrefix);
    }

    public NodeSpec(String region, Map<String, String> settings, Map<String, String> env) {
      this(region, settings, env, NodeProcess.LOOPBACK, List.of());
    }

    public NodeSpec(String region, Map<String, String> settings) {
      this(region, settings, Map.of());
    }

    public static NodeSpec in(String region) {
      return new NodeSpec(region, Map.of());
    }

    /** A node of a cluster without regions, with these environment variables. */
    public static NodeSpec withEnv(Map<String, String> env) {
      return new NodeSpec(null, Map.of(), env);
    }
  }

  /**
   * Starts {@code size} nodes and waits until each has printed its ready line.
   *
   * @param cassandra host:port of the Cassandra every node uses ({@code TOLLGATE_CASSANDRA})
   * @param fakeProviderUrl base URL of the fake provider (the demo models' provider)
   * @param settings extra node settings (config paths and values), the same for every node
   * @param logDir where each node's output goes ({@code <name>.log})
   */
  public static ClusterOfProcesses start(int size, String cassandra, String fakeProviderUrl,
      Map<String, String> settings, Path logDir) {
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(new NodeSpec(null, Map.of()));
    }
    return start(specs, cassandra, fakeProviderUrl, settings, logDir, null);
  }

  /** Starts a cluster without regions, one node per spec (each with its own settings and environment). */
  public static ClusterOfProcesses start(List<NodeSpec> nodes, String cassandra, String fakeProviderUrl,
      Map<String, String> settings, Path logDir) {
    if (nodes.stream().anyMatch(n -> n.region() != null)) {
      throw new IllegalArgumentException("a cluster without regions: use startRegions");
    }
    return start(nodes, cassandra, fakeProviderUrl, settings, logDir, null);
  }

  /**
   * Starts a cluster with regions: node {@code i} runs in {@code nodes.get(i).region()} (a Pekko
   * data center) with that spec's settings on top of {@code settings}; every node gets
   * {@code tollgate.regions.all} (the regions in order of first appearance) unless
   * {@code settings} sets it. The first node is the seed; its region is the default home and the
   * primary unless {@code settings} says otherwise.
   *
   * @param mainClass the node's main class; null for {@code io.tollgate.node.Main}
   */
  public static ClusterOfProcesses startRegions(List<NodeSpec> nodes, String cassandra, String fakeProviderUrl,
      Map<String, String> settings, Path logDir, String mainClass) {
    if (nodes.stream().anyMatch(n -> n.region() == null || n.region().isBlank())) {
      throw new IllegalArgumentException("every node needs a region");
    }
    Map<String, String> all = new LinkedHashMap<>();
    all.put("tollgate.regions.all",
        String.join(",", nodes.stream().map(NodeSpec::region).distinct().toList()));
    all.putAll(settings);
    return start(nodes, cassandra, fakeProviderUrl, all, logDir, mainClass);
  }

  private static ClusterOfProcesses start(List<NodeSpec> specs, String cassandra, String fakeProviderUrl,
      Map<String, String> settings, Path logDir, String mainClass) {
    int size = specs.size();
    List<Integer> ports = freePorts(2 * size);
    int seedPort = ports.get(size);
    String seedHost = specs.get(0).host();
    List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    Thread hook = new Thread(() -> nodes.forEach(NodeProcess::stop), "cluster-of-processes-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ClusterOfProcesses cluster = new ClusterOfProcesses(nodes, hook);
    specs.forEach(spec -> cluster.regions.add(spec.region() == null ? "" : spec.region()));
    try {
      for (int i = 0; i < size; i++) {
        NodeSpec spec = specs.get(i);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("tollgate.http.host", spec.host());
        properties.put("tollgate.http.port", Integer.toString(ports.get(i)));
        properties.put("pekko.remote.artery.canonical.hostname", spec.host());
        properties.put("pekko.remote.artery.canonical.port", Integer.toString(ports.get(size + i)));
        properties.put("pekko.cluster.seed-nodes.0", "pekko://tollgate@" + seedHost + ":" + seedPort);
        properties.put("tollgate.admin-token", ADMIN_TOKEN);
        properties.put("tollgate.fake-provider-url", fakeProviderUrl);
        properties.put("tollgate.demo.enabled", "false");
        properties.put("tollgate.metrics.instrumentation", "off");
        properties.put("tollgate.metrics.prometheus-host", spec.host());
        properties.put("tollgate.metrics.prometheus-port", "0");
        if (spec.region() != null) {
          properties.put("tollgate.node.region", spec.region());
        }
        properties.putAll(settings);
        properties.putAll(spec.settings());
        String name = spec.region() == null ? "chaos-node-" + (i + 1) : "node-" + (i + 1) + "-" + spec.region();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOLLGATE_CASSANDRA", cassandra);
        env.putAll(spec.env());
        NodeProcess node = NodeProcess.start(name, spec.host(), spec.launchPrefix(), ports.get(i), ports.get(size + i),
            properties, env, "384m", logDir, mainClass == null ? NodeProcess.MAIN : mainClass);
        nodes.add(node);
        if (i == 0) {
          // The seed forms the cluster and creates the keyspaces and tables alone.
          node.awaitReady(START_TIMEOUT);
        }
      }
      for (NodeProcess node : nodes) {
        node.awaitReady(START_TIMEOUT);
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  public int size() {
    return nodes.size();
  }

  /** The region of node {@code index}; null for a cluster started without regions. */
  public String region(int index) {
    String region = regions.get(index);
    return region.isEmpty() ? null : region;
  }

  /** The nodes of {@code region}, in start order. */
  public List<NodeProcess> nodesIn(String region) {
    List<NodeProcess> in = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (region.equals(region(i))) {
        in.add(nodes.get(i));
      }
    }
    return in;
  }

  /** Ends every node that still runs. */
  @Override
  public void close() {
    nodes.forEach(NodeProcess::stop);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it ends the nodes too.
    }
  }

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>(n);
    try {
      // Hold every socket until all are picked, so no port is handed out twice.
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only a port
        }
      }
    }
  }
}
