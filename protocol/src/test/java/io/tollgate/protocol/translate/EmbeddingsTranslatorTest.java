package io.tollgate.protocol.translate;

import static io.tollgate.protocol.translate.Fixtures.assertJsonMatches;
import static io.tollgate.protocol.translate.Fixtures.bytes;
import static io.tollgate.protocol.translate.Fixtures.headers;
import static io.tollgate.protocol.translate.Fixtures.json;
import static io.tollgate.protocol.translate.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.usage.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddingsTranslatorTest {

  @Test
  void openai_passes_the_body_through_and_returns_floats_under_the_logical_model() {
    OpenAiEmbeddingsTranslator t = new OpenAiEmbeddingsTranslator();

    UpstreamRequest upstream = t.toUpstream(
        json("embeddings_openai/request.json"), "text-embedding-3-small", Fixtures.endpoint(BackendSchema.OPENAI));
    ClientResponse response = t.fromUpstream(200, bytes("embeddings_openai/response.json"));

    assertThat(upstream.url()).isEqualTo("http://upstream.test/embeddings");
    assertThat(headers(upstream)).containsEntry("authorization", "Bearer sk-test-secret");
    assertJsonMatches(parse(upstream.body()), json("embeddings_openai/upstream_request.json"));
    assertThat(response.status()).isEqualTo(200);
    assertJsonMatches(parse(response.body()), json("embeddings_openai/client_response.json"));
    assertThat(response.usage()).isEqualTo(new Usage(14, 0, 0, 0, false));
  }

  @Test
  void openai_on_azure_uses_the_deployment_url_and_api_key() {
    ProviderEndpoint azure = new ProviderEndpoint("azure", BackendSchema.OPENAI, "https://r.openai.azure.com",
        Secret.of("azure-key"), "2024-10-21", null, Map.of());

    UpstreamRequest upstream = new OpenAiEmbeddingsTranslator()
        .toUpstream(json("embeddings_openai/request.json"), "embed-small", azure);

    assertThat(upstream.url())
        .isEqualTo("https://r.openai.azure.com/openai/deployments/embed-small/embeddings?api-version=2024-10-21");
    assertThat(headers(upstream)).containsEntry("api-key", "azure-key").doesNotContainKey("authorization");
  }

  @Test
  void openai_counts_the_input_when_a_compatible_provider_reports_no_usage() {
    OpenAiEmbeddingsTranslator t = new OpenAiEmbeddingsTranslator();
    t.toUpstream(json("embeddings_openai/request.json"), "nomic-embed", Fixtures.endpoint(BackendSchema.OPENAI));
    ObjectNode answer = (ObjectNode) json("embeddings_openai/response.json");
    answer.remove("usage");

    ClientResponse response = t.fromUpstream(200, answer.toString().getBytes(StandardCharsets.UTF_8));

    assertThat(response.usage().estimated()).isTrue();
    assertThat(response.usage().inputTokens()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      openai answers 401             | OPENAI | embeddings_openai | text-embedding-3-small | 401 | openai_openai/error_401.json
      gemini answers an invalid key  | GEMINI | embeddings_gemini | gemini-embedding-001   | 400 | openai_gemini/error_400_api_key.json
      """)
  void a_rejected_provider_key_becomes_a_502_that_names_no_key(
      String what, BackendSchema schema, String dir, String upstreamModel, int status, String errorFixture) {
    EmbeddingsTranslator t = Translators.embeddings(schema);
    t.toUpstream(json(dir + "/request.json"), upstreamModel, Fixtures.endpoint(schema));

    ClientResponse response = t.fromUpstream(status, bytes(errorFixture));

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.error()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("sk-");
    assertThat(response.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void gemini_batches_the_inputs_and_answers_in_the_openai_shape_with_estimated_usage() {
    GeminiEmbeddingsTranslator t = new GeminiEmbeddingsTranslator();

    UpstreamRequest upstream = t.toUpstream(
        json("embeddings_gemini/request.json"), "gemini-embedding-001", Fixtures.endpoint(BackendSchema.GEMINI));
    ClientResponse response = t.fromUpstream(200, bytes("embeddings_gemini/response.json"));

    assertThat(upstream.url()).isEqualTo("http://upstream.test/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(headers(upstream)).containsEntry("x-goog-api-key", "sk-test-secret").doesNotContainKey("authorization");
    assertJsonMatches(parse(upstream.body()), json("embeddings_gemini/upstream_request.json"));
    JsonNode body = parse(response.body());
    assertJsonMatches(body, json("embeddings_gemini/client_response.json"));
    assertThat(response.usage().estimated()).isTrue();
    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(response.usage().inputTokens());
  }

  @Test
  void gemini_encodes_vectors_as_little_endian_float32_base64_when_asked() {
    GeminiEmbeddingsTranslator t = new GeminiEmbeddingsTranslator();
    ObjectNode request = (ObjectNode) json("embeddings_gemini/request.json");
    request.put("encoding_format", "base64");
    t.toUpstream(request, "gemini-embedding-001", Fixtures.endpoint(BackendSchema.GEMINI));

    JsonNode body = parse(t.fromUpstream(200, bytes("embeddings_gemini/response.json")).body());

    JsonNode second = body.at("/data/1/embedding");
    assertThat(second.isTextual()).isTrue();
    ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(second.asText())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(decoded.remaining()).isEqualTo(3 * Float.BYTES);
    assertThat(new float[] {decoded.getFloat(), decoded.getFloat(), decoded.getFloat()})
        .containsExactly(0.5f, -1.25f, 3.0f);
  }

  @Test
  void gemini_rejects_token_id_input() throws Exception {
    JsonNode request = Json.MAPPER.readTree("{\"model\":\"embed-default\",\"input\":[[1,2,3]]}");

    assertThatThrownBy(() -> new GeminiEmbeddingsTranslator()
        .toUpstream(request, "gemini-embedding-001", Fixtures.endpoint(BackendSchema.GEMINI)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("input"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing model            | {"input":"hi"}                                          | model
      model not a string       | {"model":1,"input":"hi"}                                | model
      missing input            | {"model":"e"}                                           | input
      empty string input       | {"model":"e","input":""}                                | input
      empty array input        | {"model":"e","input":[]}                                | input
      mixed array input        | {"model":"e","input":["a",1]}                           | input
      object input             | {"model":"e","input":{"text":"hi"}}                     | input
      empty token array        | {"model":"e","input":[[]]}                              | input
      unknown encoding format  | {"model":"e","input":"hi","encoding_format":"int8"}     | encoding_format
      zero dimensions          | {"model":"e","input":"hi","dimensions":0}               | dimensions
      """)
  void rejects_bad_input_naming_the_field(String what, String body, String param) throws Exception {
    JsonNode request = Json.MAPPER.readTree(body);

    for (EmbeddingsTranslator t : new EmbeddingsTranslator[] {new OpenAiEmbeddingsTranslator(), new GeminiEmbeddingsTranslator()}) {
      assertThatThrownBy(() -> t.toUpstream(request, "m", Fixtures.endpoint(BackendSchema.OPENAI)))
          .isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(e.param()).isEqualTo(param);
          });
    }
  }

  @Test
  void openai_accepts_token_id_input() throws Exception {
    JsonNode request = Json.MAPPER.readTree("{\"model\":\"embed-default\",\"input\":[[1,2,3],[4]]}");

    UpstreamRequest upstream = new OpenAiEmbeddingsTranslator()
        .toUpstream(request, "text-embedding-3-small", Fixtures.endpoint(BackendSchema.OPENAI));

    assertThat(parse(upstream.body()).get("input")).isEqualTo(request.get("input"));
  }
}
