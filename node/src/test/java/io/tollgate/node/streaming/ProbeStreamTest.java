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
    for (int k = 0; k < 3; k++) {
    StreamingClient c = StreamingClient.OPENAI;
    HttpResponse<InputStream> paused = c.open(g, t.key().secret(), "demo-openai", "[[fake:chunks=200,delay=20]] go");
    SseReader r = new SseReader(paused.body());
    for (int i = 0; i < 6; i++) r.next();
    long before = g.fake.cancelledStreams();
    long t0 = System.nanoTime();
    r.close();
    Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5)).until(() -> g.fake.cancelledStreams() > before);
    long t1 = System.nanoTime();
    var audit = g.awaitAudit(t.id(), c.requestId(paused));
    long t2 = System.nanoTime();
    System.out.println("PROBE cancel=" + (t1 - t0) / 1_000_000 + "ms audit=" + (t2 - t0) / 1_000_000 + "ms " + audit);
    }
  }
}
