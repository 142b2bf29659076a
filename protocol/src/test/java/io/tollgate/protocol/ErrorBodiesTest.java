package io.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

  @Test
  void anthropic_clients_get_type_error_with_a_nested_type_and_message() throws Exception {
    JsonNode body = ErrorBodies.render(ClientApi.ANTHROPIC, ErrorKind.OVERLOADED, "provider: Overloaded", "x", "y");

    assertThat(body).isEqualTo(Json.MAPPER.readTree(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"provider: Overloaded\"}}"));
  }

  @Test
  void openai_clients_get_message_type_param_and_code() throws Exception {
    JsonNode body = ErrorBodies.render(ClientApi.OPENAI,
        GatewayException.invalid("messages[0].role", "messages[0].role must be one of system, user, assistant, tool"));

    assertThat(body).isEqualTo(Json.MAPPER.readTree(
        "{\"error\":{\"message\":\"messages[0].role must be one of system, user, assistant, tool\","
            + "\"type\":\"invalid_request_error\",\"param\":\"messages[0].role\",\"code\":null}}"));
  }

  @Test
  void gateway_only_kinds_use_each_api_s_nearest_type() {
    GatewayException e = new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "the provider did not answer in time", null, "timeout");

    assertThat(ErrorBodies.render(ClientApi.ANTHROPIC, e).at("/error/type").asText()).isEqualTo("api_error");
    assertThat(ErrorBodies.render(ClientApi.OPENAI, e).at("/error/type").asText()).isEqualTo("upstream_timeout");
    assertThat(ErrorBodies.render(ClientApi.OPENAI, e).at("/error/code").asText()).isEqualTo("timeout");
  }
}
