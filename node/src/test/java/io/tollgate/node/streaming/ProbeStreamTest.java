package io.tollgate.node.streaming;

import io.tollgate.node.testing.*;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProbeStreamTest {
  @Test
  void probe() throws Exception {
    TestGateway g = TestGateway.get();
    TestGateway.Tenant t = g.newTenant();
    StreamingClient c = StreamingClient.OPENAI;
    String model = "demo-openai";
    int n = 100000;
      HttpResponse<InputStream> paused = c.open(g, t.key().secret(), model, "[[fake:chunks=" + n + "]] go");
      SseReader r = new SseReader(paused.body());
      for (int i = 0; i < 3; i++) r.next();
      long before = g.fake.cancelledStreams();
      Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      Process p = new ProcessBuilder("ss", "-tnmi").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      System.out.println("PROBE fake=" + g.fake.port() + " node=" + g.url() + "\n" + out);
      r.close();
      Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> g.fake.cancelledStreams() > before);
  }
}
