package io.tollgate.node.streaming;

import io.tollgate.node.testing.*;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProbeStreamTest {
  static String ss(TestGateway g) throws Exception {
    Process p = new ProcessBuilder("ss", "-tn").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    StringBuilder sb = new StringBuilder();
    String node = ":" + g.url().substring(g.url().lastIndexOf(':') + 1);
    for (String l : out.split("\n")) if (l.contains(":" + g.fake.port() + " ") || l.contains(node + " ")) sb.append(l.replaceAll(" +", " ")).append('\n');
    return sb.toString();
  }
  @Test
  void probe() throws Exception {
    TestGateway g = TestGateway.get();
    TestGateway.Tenant t = g.newTenant();
    StreamingClient c = StreamingClient.OPENAI;
    HttpResponse<InputStream> paused = c.open(g, t.key().secret(), "demo-openai", "[[fake:chunks=100000]] go");
    SseReader r = new SseReader(paused.body());
    System.out.println("PROBE status=" + paused.statusCode() + " id=" + c.requestId(paused) + " headers=" + paused.headers().map());
    for (int i = 0; i < 3; i++) System.out.println("PROBE frame " + r.next());
    long t0 = System.nanoTime();
    for (int k = 1; k <= 6; k++) {
      long until = t0 + k * 1_000_000_000L;
      Awaitility.await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() > until);
      System.out.println("PROBE t=" + k + "s cancelled=" + g.fake.cancelledStreams() + "\n" + ss(g));
    }
    int n = -1;
    try { n = r.rest().size(); } catch (Exception e) { System.out.println("PROBE rest failed " + e); }
    System.out.println("PROBE rest=" + n);
    g.awaitAudit(t.id(), c.requestId(paused));
    System.out.println("PROBE all " + g.auditRecords(t.id()));
  }
}
