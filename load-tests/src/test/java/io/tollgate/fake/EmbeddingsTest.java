package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddingsTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static JsonNode embed(String body) {
    return json(post(fake.url("/v1/embeddings"), body, openAiAuth()).body());
  }

  @Test
  void embeds_each_input_as_a_deterministic_float_vector_with_usage() {
    JsonNode first = embed("{\"model\":\"text-embedding-3-small\",\"input\":[\"hello world\",\"bye\"]}");
    JsonNode again = embed("{\"model\":\"text-embedding-3-small\",\"input\":[\"hello world\",\"bye\"]}");

    assertThat(first.path("object").asText()).isEqualTo("list");
    assertThat(first.path("data")).hasSize(2);
    assertThat(first.path("data").get(0).path("index").asInt()).isZero();
    assertThat(first.path("data").get(0).path("embedding")).hasSize(8);
    assertThat(first.path("data").get(0).path("embedding")).isNotEqualTo(first.path("data").get(1).path("embedding"));
    assertThat(again.path("data")).isEqualTo(first.path("data"));
    assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void honours_dimensions() {
    JsonNode r = embed("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":3}");

    assertThat(r.path("data").get(0).path("embedding")).hasSize(3);
  }

  @Test
  void base64_encoding_decodes_to_the_same_little_endian_floats() {
    JsonNode floats = embed("{\"model\":\"m\",\"input\":\"same text\"}").path("data").get(0).path("embedding");
    String b64 = embed("{\"model\":\"m\",\"input\":\"same text\",\"encoding_format\":\"base64\"}")
        .path("data").get(0).path("embedding").asText();

    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buf.remaining()).isEqualTo(8 * 4);
    for (int i = 0; i < 8; i++) {
      assertThat(buf.getFloat()).isEqualTo(floats.get(i).floatValue());
    }
  }

  @Test
  void serves_azure_embeddings_and_requires_the_api_key_header() {
    String url = fake.url() + "/openai/deployments/emb/embeddings?api-version=2024-10-21";
    JsonNode ok = json(post(url, "{\"input\":\"x\"}", "api-key", FakeHttp.KEY).body());
    int refused = post(url, "{\"input\":\"x\"}", "api-key", "nope").statusCode();

    assertThat(ok.path("data").get(0).path("embedding")).hasSize(8);
    assertThat(ok.path("model").asText()).isEqualTo("emb");
    assertThat(refused).isEqualTo(401);
  }
}
