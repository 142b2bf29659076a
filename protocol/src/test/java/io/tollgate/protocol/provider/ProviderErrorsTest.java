package io.tollgate.protocol.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.anthropic.AnthropicBackendCodec;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.gemini.GeminiBackendCodec;
import io.tollgate.protocol.openai.OpenAiBackendCodec;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.codec.BackendCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderErrorsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      openai 401             | OPENAI    | 401 | {"error":{"message":"Incorrect API key provided: sk-proj-abcdefgh1234","type":"invalid_request_error","code":"invalid_api_key"}}
      openai 403             | OPENAI    | 403 | {"error":{"message":"key sk-proj-abcdefgh1234 may not use this model"}}
      anthropic 401          | ANTHROPIC | 401 | {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key sk-ant-api03-abcdef"}}
      anthropic permission   | ANTHROPIC | 400 | {"type":"error","error":{"type":"permission_error","message":"key sk-ant-api03-abcdef is not allowed"}}
      gemini invalid key     | GEMINI    | 400 | {"error":{"code":400,"message":"API key not valid. AIzaSyA-abcdefghijklmnopqrstuv","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}
      gemini 403             | GEMINI    | 403 | {"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}
      """)
  void a_provider_refusing_the_gateway_key_is_the_same_502_for_every_schema(
      String what, BackendSchema schema, int status, String body) {
    GatewayException e = codec(schema).decodeError(status, body.getBytes(StandardCharsets.UTF_8));

    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(e.kind().status()).isEqualTo(502);
    assertThat(e.getMessage()).isEqualTo(ProviderErrors.CREDENTIAL_REJECTED).doesNotContain("sk-").doesNotContain("AIza");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ANTHROPIC | {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key sk-ant-api03-abcdef"}}
      GEMINI    | {"error":{"code":401,"message":"bad key AIzaSyA-abcdefghijklmnopqrstuv","status":"UNAUTHENTICATED"}}
      """)
  void a_key_refusal_inside_a_stream_reads_the_same(BackendSchema schema, String data) {
    var events = codec(schema).newStreamDecoder().decode(new SseEvent(null, data));

    assertThat(events).containsExactly(new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, ProviderErrors.CREDENTIAL_REJECTED));
  }

  @ParameterizedTest
  @EnumSource(BackendSchema.class)
  void provider_messages_are_prefixed_redacted_and_cut_to_500_characters_for_every_schema(BackendSchema schema) {
    String leaking = "bad header Bearer abc.def and keys sk-proj-abcdefgh1234 AIzaSyA-abcdefghijklmnopqrstuv";
    String tooLong = "x".repeat(2000);

    String redacted = codec(schema).decodeError(400, errorBody(schema, leaking)).getMessage();
    String cut = codec(schema).decodeError(400, errorBody(schema, tooLong)).getMessage();

    assertThat(redacted).isEqualTo("provider: bad header [redacted] and keys [redacted] [redacted]");
    assertThat(cut).isEqualTo("provider: " + "x".repeat(500));
  }

  @ParameterizedTest
  @EnumSource(BackendSchema.class)
  void an_error_without_a_message_names_the_status_for_every_schema(BackendSchema schema) {
    GatewayException e = codec(schema).decodeError(429, "Too Many Requests".getBytes(StandardCharsets.UTF_8));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.getMessage()).isEqualTo("provider: the provider answered HTTP 429");
  }

  private static byte[] errorBody(BackendSchema schema, String message) {
    String json = schema == BackendSchema.ANTHROPIC
        ? "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + message + "\"}}"
        : "{\"error\":{\"message\":\"" + message + "\"}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static BackendCodec codec(BackendSchema schema) {
    return switch (schema) {
      case OPENAI -> OpenAiBackendCodec.INSTANCE;
      case ANTHROPIC -> AnthropicBackendCodec.INSTANCE;
      case GEMINI -> GeminiBackendCodec.INSTANCE;
    };
  }
}
