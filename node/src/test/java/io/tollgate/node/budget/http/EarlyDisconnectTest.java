package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A streaming client that leaves before the first byte of its answer (Pekko HTTP then never runs the
 * response body) is still recorded once, as abandoned, and its admission is settled: the ledger
 * equals the audit and the lease holds nothing for it.
 */
class EarlyDisconnectTest extends BudgetHttpTest {

  @Test
  void a_stream_whose_client_left_before_the_first_byte_is_recorded_and_settled() throws IOException {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "1.00"));
    String marker = "early-" + UUID.randomUUID();
    String body = "{\"model\":\"demo-openai\",\"stream\":true,\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"[[fake:ttft=1500,chunks=20]] " + marker + "\"}]}";

    URI url = URI.create(gateway.url());
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoLinger(true, 0); // close with a reset, as a client process that dies does
      OutputStream out = socket.getOutputStream();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
          + "Authorization: Bearer " + tenant.key().secret() + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      // admitted and sent upstream; the provider's first byte is still 1.5 s away
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .until(() -> gateway.fake.requests().stream().anyMatch(r -> r.body().contains(marker)));
    } // the client is gone before any byte of the answer

    JsonNode record = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> admin.audit(tenant.id()), records -> !records.isEmpty()).get(0);
    assertThat(admin.audit(tenant.id())).hasSize(1);
    assertThat(record.get("status").asInt()).isEqualTo(499);
    assertThat(record.get("error_type").asText()).isEqualTo("client_disconnected");
    assertThat(record.get("lease_id").asText("")).isNotBlank();
    long audited = record.get("cost_micros").asLong();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode reconciled = admin.reconcile(tenant.id(), "daily");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(audited);
      JsonNode spend = admin.spendLine(tenant.id(), "tenant", "usd");
      assertThat(spend.get("spent").asLong()).isEqualTo(audited);
      assertThat(spend.get("held").asLong()).as("nothing left held for the call").isZero();
    });
  }
}
