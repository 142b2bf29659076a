package io.tollgate.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One network per region on this machine, so a test can cut regions apart while each stays
 * reachable from the test: region {@code i} gets a Linux network namespace joined to this (the
 * root) namespace by a veth pair. Processes started under {@link #launchPrefix} listen on the
 * region's {@link #host}; the root side of each pair ({@link #gateway}) routes between regions. A
 * {@link #partition} stops that routing on every pair (packets between regions are dropped
 * silently, as in a real partition), while the test, and whatever it serves on a gateway address
 * (the fake providers), still reach every region directly. {@link #heal} routes again.
 *
 * <p>Needs root (iproute2's {@code ip netns}). Names carry this JVM's pid; namespaces a killed run
 * left behind are removed at the next start.
 */
public final class RegionNetworks implements AutoCloseable {
  private static final Pattern OURS = Pattern.compile("tgr(\\d+)-.*");

  private final long pid = ProcessHandle.current().pid();
  private final Map<String, Integer> index = new LinkedHashMap<>();

  private RegionNetworks(List<String> regions) {
    for (int i = 0; i < regions.size(); i++) {
      index.put(regions.get(i), i);
    }
  }

  /** Creates one namespace per region, routed to each other. */
  public static RegionNetworks create(List<String> regions) {
    if (!"0".equals(run(List.of("id", "-u")).strip())) {
      throw new IllegalStateException("RegionNetworks needs root: it creates network namespaces with `ip netns`");
    }
    removeLeftovers();
    RegionNetworks networks = new RegionNetworks(regions);
    try {
      for (String region : regions) {
        networks.wire(region);
      }
      networks.heal();
      return networks;
    } catch (RuntimeException e) {
      networks.close();
      throw e;
    }
  }

  /** Where the region's processes listen. */
  public String host(String region) {
    return address(region, 2);
  }

  /** The root namespace's address facing the region: reachable from every region, partitioned or not. */
  public String gateway(String region) {
    return address(region, 1);
  }

  /** The command to start a process of the region under. */
  public List<String> launchPrefix(String region) {
    return List.of("ip", "netns", "exec", namespace(region));
  }

  /** Drops every packet between regions (in both directions), silently. */
  public void partition() {
    index.keySet().forEach(region -> forwarding(region, false));
  }

  /** Routes between regions again. */
  public void heal() {
    index.keySet().forEach(region -> forwarding(region, true));
  }

  /** Removes the namespaces (and with them the veth pairs). */
  @Override
  public void close() {
    for (String region : index.keySet()) {
      runQuietly(List.of("ip", "netns", "del", namespace(region)));
    }
  }

  private void wire(String region) {
    String ns = namespace(region);
    String outer = "tg" + (pid % 10_000_000) + "r" + index.get(region);
    String inner = "tg" + (pid % 10_000_000) + "n" + index.get(region);
    run(List.of("ip", "netns", "add", ns));
    run(List.of("ip", "link", "add", outer, "type", "veth", "peer", "name", inner));
    run(List.of("ip", "link", "set", inner, "netns", ns));
    run(List.of("ip", "addr", "add", gateway(region) + "/29", "dev", outer));
    run(List.of("ip", "link", "set", outer, "up"));
    run(List.of("ip", "-n", ns, "addr", "add", host(region) + "/29", "dev", inner));
    run(List.of("ip", "-n", ns, "link", "set", inner, "up"));
    run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
    run(List.of("ip", "-n", ns, "route", "add", "default", "via", gateway(region)));
  }

  private void forwarding(String region, boolean on) {
    String outer = "tg" + (pid % 10_000_000) + "r" + index.get(region);
    try {
      Files.writeString(Path.of("/proc/sys/net/ipv4/conf", outer, "forwarding"), on ? "1" : "0");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot switch forwarding on " + outer, e);
    }
  }

  private String namespace(String region) {
    return "tgr" + pid + "-" + region;
  }

  /** 10.x.y.z/29 per region; x and y from the pid, so concurrent runs do not share a subnet. */
  private String address(String region, int host) {
    Integer i = index.get(region);
    if (i == null) {
      throw new IllegalArgumentException("no network for region " + region);
    }
    return "10." + (64 + (pid >> 8) % 64) + "." + (pid & 255) + "." + (8 * i + host);
  }

  private static void removeLeftovers() {
    for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
      String name = line.strip().split(" ")[0];
      Matcher m = OURS.matcher(name);
      if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
        runQuietly(List.of("ip", "netns", "del", name));
      }
    }
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void runQuietly(List<String> command) {
    try {
      run(command);
    } catch (RuntimeException ignored) {
      // already gone
    }
  }
}
