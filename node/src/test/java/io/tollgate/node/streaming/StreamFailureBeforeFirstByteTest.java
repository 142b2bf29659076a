package io.tollgate.node.streaming;

import static io.tollgate.node.testing.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.StreamingClient;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A streaming request whose provider fails before sending anything gets a plain JSON error in the
 * client's shape with the provider failure's status — not a 200 event stream — and is recorded.
 */
class StreamFailureBeforeFirstByteTest extends FreshTenantTest {

  /** client, model, directive, expected error: the fake answers fail=529 with 529 on Anthropic, 503 elsewhere. */
  static Stream<Arguments> failures() {
    return Backends.everyClientOnEveryBackend().flatMap(a -> {
      StreamingClient client = (StreamingClient) a.get()[0];
      String model = (String) a.get()[1];
      ExpectedError busy = model.equals(Backends.ANTHROPIC) ? ExpectedError.OVERLOADED : ExpectedError.UNAVAILABLE;
      return Stream.of(
          Arguments.of(client, model, "[[fake:fail=500]]", ExpectedError.UPSTREAM),
          Arguments.of(client, model, "[[fake:fail=529]]", busy));
    });
  }

  @ParameterizedTest(name = "{0} client, {1}, {2}")
  @MethodSource("failures")
  void a_provider_failure_before_the_first_byte_is_a_json_error_with_its_status(
      StreamingClient client, String model, String directive, ExpectedError expected) {
    HttpResponse<String> r = gateway.send(client.request(gateway.url(), tenant.key().secret(), model, directive + " hello"));

    assertThat(r.statusCode()).isEqualTo(expected.status());
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    JsonNode body = json(r.body());
    assertThat(StreamingClient.errorType(body)).isEqualTo(expected.typeFor(client));
    assertThat(body.at("/error/message").asText()).isNotBlank();
    if (client == StreamingClient.ANTHROPIC) {
      assertThat(body.get("type").asText()).isEqualTo("error");
    }

    JsonNode audit = gateway.awaitAudit(tenant.id(), client.requestId(r));
    assertThat(audit.get("status").asInt()).isEqualTo(expected.status());
    assertThat(audit.get("error_type").asText()).isEqualTo(expected.auditType());
    assertThat(audit.get("model").asText()).isEqualTo(model);
    assertThat(audit.get("output_tokens").asLong()).isZero();
    assertThat(audit.get("cost_micros").asLong()).as("nothing was generated, nothing is billed").isZero();
  }
}
