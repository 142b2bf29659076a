package io.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.fake.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayBenchmarkTest {

  @Test
  void measures_both_targets_and_writes_a_markdown_report(@TempDir Path dir) throws Exception {
    FakeProvider direct = FakeProvider.start(FakeProviderSettings.defaults());
    FakeProvider standIn = FakeProvider.start(FakeProviderSettings.defaults().withApiKey("gateway-key"));
    Path out = dir.resolve("bench.md");
    try {
      GatewayBenchmark.main(new String[] {"--direct", direct.url(), "--gateway", standIn.url(),
          "--direct-key", FakeProviderSettings.DEFAULT_API_KEY, "--gateway-key", "gateway-key",
          "--seconds", "2", "--out", out.toString()});

      String report = Files.readString(out);
      assertThat(report).contains("| workload | target | requests | errors | req/s | p50 ms | p90 ms | p99 ms |");
      for (String workload : new String[] {"non-streaming, 1 connection", "non-streaming, 16 connections",
          "streaming time to first byte, 1 connection"}) {
        assertThat(report).containsPattern("\\| " + workload + " \\| direct \\| [1-9]\\d* \\| 0 \\|");
        assertThat(report).containsPattern("\\| " + workload + " \\| gateway \\| [1-9]\\d* \\| 0 \\|");
        assertThat(report).containsPattern("\\| " + workload + " \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\|");
      }
      assertThat(report).doesNotContain("## Budgets");
      assertThat(direct.requests()).extracting(RecordedRequest::body).allMatch(b -> b.contains("gpt-4o-mini"));
      assertThat(standIn.requests()).extracting(RecordedRequest::body).allMatch(b -> b.contains("demo-openai"));
    } finally {
      direct.stop();
      standIn.stop();
    }
  }

  @Test
  void measures_peers_side_by_side_with_their_own_headers(@TempDir Path dir) throws Exception {
    FakeProvider direct = FakeProvider.start(FakeProviderSettings.defaults());
    FakeProvider peer = FakeProvider.start(FakeProviderSettings.defaults());
    FakeProvider standIn = FakeProvider.start(FakeProviderSettings.defaults().withApiKey("gateway-key"));
    Path out = dir.resolve("bench.md");
    try {
      GatewayBenchmark.main(new String[] {"--direct", direct.url(), "--gateway", standIn.url(),
          "--direct-key", FakeProviderSettings.DEFAULT_API_KEY, "--gateway-key", "gateway-key",
          "--peer", "proxy=" + peer.url(), "--peer-header", "proxy=x-route-to: openai",
          "--cpu", "proxy=" + ProcessHandle.current().pid(), "--seconds", "4", "--out", out.toString()});

      String report = Files.readString(out);
      assertThat(report).contains("## Side by side: the same workloads through each gateway");
      for (String workload : new String[] {"non-streaming, 1 connection", "non-streaming, 16 connections",
          "non-streaming, 64 connections", "streaming time to first byte, 1 connection"}) {
        assertThat(report).containsPattern("\\| " + workload + " \\| proxy \\| [1-9]\\d* \\| 0 \\|");
        // side by side: the peer's ratios, and its own CPU per request and resident memory
        assertThat(report).containsPattern("\\| " + workload
            + " \\| proxy \\| \\d+\\.\\d \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| -?\\d+\\.\\d{3} \\| -?\\d+\\.\\d{3} \\| \\d+ \\| [1-9]\\d* \\|");
      }
      assertThat(peer.requests()).isNotEmpty().allSatisfy(r -> {
        assertThat(r.body()).contains("gpt-4o-mini");
        assertThat(r.header("x-route-to")).contains("openai");
      });
    } finally {
      direct.stop();
      peer.stop();
      standIn.stop();
    }
  }

  @Test
  void compares_a_key_with_limits_against_one_without_at_1_and_64_connections(@TempDir Path dir) throws Exception {
    FakeProvider direct = FakeProvider.start(FakeProviderSettings.defaults());
    FakeProvider standIn = FakeProvider.start(FakeProviderSettings.defaults().withApiKey("gateway-key"));
    Path out = dir.resolve("bench.md");
    try {
      GatewayBenchmark.main(new String[] {"--direct", direct.url(), "--gateway", standIn.url(),
          "--direct-key", FakeProviderSettings.DEFAULT_API_KEY, "--gateway-key", "gateway-key",
          "--limits-key", "gateway-key", "--no-limits-key", "gateway-key",
          "--cpu", "self=" + ProcessHandle.current().pid(), "--seconds", "3", "--out", out.toString()});

      String report = Files.readString(out);
      assertThat(report).contains("## Budgets: admission and settlement through the gateway");
      for (String workload : new String[] {"non-streaming, 1 connection", "non-streaming, 64 connections"}) {
        assertThat(report).containsPattern("\\| " + workload + " \\| no limits \\| [1-9]\\d* \\| 0 \\|");
        assertThat(report).containsPattern("\\| " + workload + " \\| with limits \\| [1-9]\\d* \\| 0 \\|");
        assertThat(report).containsPattern(
            "\\| " + workload + " \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| -?\\d+ \\| -?\\d+ \\| -?\\d+ \\| -?\\d+ \\| -?\\d+ \\|\n");
        assertThat(report).doesNotContain("| " + workload + " | no limits, first stretches |");
      }
      // 64 connections is also measured gateway against direct
      assertThat(report).containsPattern("\\| non-streaming, 64 connections \\| direct \\| [1-9]\\d* \\| 0 \\|");
      // this JVM (standing in for the node) did work for every request: its CPU per request is known
      assertThat(report).contains("| self CPU µs/req |");
      assertThat(report).containsPattern("\\| non-streaming, 64 connections \\| with limits \\| [1-9]\\d* \\| 0 \\|.* \\d+ \\|\n");
    } finally {
      direct.stop();
      standIn.stop();
    }
  }
}
