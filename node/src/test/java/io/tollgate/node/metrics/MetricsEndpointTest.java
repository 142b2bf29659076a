package io.tollgate.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Metrics carry tenant ids and spend: on the API's interface by default, behind a token when one is set. */
class MetricsEndpointTest {
  private static final String TOKEN = "metrics-scrape-token-123";

  @Test
  void the_scrape_endpoint_answers_only_the_configured_bearer_token() throws Exception {
    MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, TOKEN, () -> "tollgate_up{tenant=\"acme\"} 1\n");
    try {
      HttpClient http = HttpClient.newHttpClient();
      String url = "http://127.0.0.1:" + endpoint.port() + "/metrics";

      HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer nope").build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> right = http.send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).doesNotContain("acme");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("tollgate_up{tenant=\"acme\"} 1");
      assertThat(right.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    } finally {
      endpoint.stop();
    }
  }

  @Test
  void metrics_listen_on_the_api_interface_unless_configured_otherwise() {
    var config = ConfigFactory.parseString("tollgate.http.host = \"10.1.2.3\"")
        .withFallback(ConfigFactory.parseResources("application.conf")).resolve();

    assertThat(config.getString("tollgate.metrics.prometheus-host")).isEqualTo("10.1.2.3");
    assertThat(config.getString("tollgate.metrics.token")).isEmpty();
  }
}
