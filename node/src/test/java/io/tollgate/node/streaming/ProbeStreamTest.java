package io.tollgate.node.streaming;

import io.tollgate.node.testing.*;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProbeStreamTest {
  @Test
  void probe() {
    TestGateway g = TestGateway.get();
    TestGateway.Tenant t = g.newTenant();
    for (StreamingClient c : StreamingClient.values()) {
    for (String model : new String[] {"demo-openai", "demo-anthropic", "demo-gemini"}) {
    for (int n : new int[] {5000, 20000, 50000, 100000}) {
      HttpResponse<InputStream> paused = c.open(g, t.key().secret(), model, "[[fake:chunks=" + n + "]] go");
      SseReader r = new SseReader(paused.body());
      for (int i = 0; i < 3; i++) r.next();
      long t0 = System.nanoTime();
      StreamedAnswer fast = c.stream(g, t.key().secret(), model, "[[fake:chunks=" + n + "]] go");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long before = g.fake.cancelledStreams();
      r.close();
      boolean cancelled;
      try {
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> g.fake.cancelledStreams() > before);
        cancelled = true;
      } catch (Exception e) {
        cancelled = false;
      }
      System.out.println("PROBE " + c + " " + model + " n=" + n + " fast=" + ms + "ms clean=" + fast.endedCleanly() + " frames=" + fast.frames().size() + " cancelled=" + cancelled);
    }}}
  }
}
