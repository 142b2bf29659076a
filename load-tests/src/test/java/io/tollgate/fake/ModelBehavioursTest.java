package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.anthropicAuth;
import static io.tollgate.fake.FakeHttp.gemini;
import static io.tollgate.fake.FakeHttp.geminiAuth;
import static io.tollgate.fake.FakeHttp.geminiChat;
import static io.tollgate.fake.FakeHttp.json;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.fake.Behaviour.Failure;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A behaviour set for one upstream model applies to that model's requests only. */
class ModelBehavioursTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  private static HttpResponse<String> openAi(String model, String userText) {
    return post(fake.url(OPENAI_CHAT), "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
        + FakeJson.quote(userText) + "}]}", openAiAuth());
  }

  private static HttpResponse<String> azure(String deployment) {
    return post(fake.url("/openai/deployments/" + deployment + "/chat/completions?api-version=2024-10-21"),
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "api-key", FakeHttp.KEY);
  }

  private static HttpResponse<String> anthropic(String model) {
    return post(fake.url(FakeHttp.ANTHROPIC_MESSAGES), "{\"model\":\"" + model
        + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", anthropicAuth());
  }

  private static HttpResponse<String> geminiCall(String model) {
    return post(fake.url(gemini(model, "generateContent")), geminiChat("hi"), geminiAuth());
  }

  @Test
  void a_model_behaviour_applies_to_that_models_requests_and_the_others_keep_the_default() {
    fake.provider().setBehaviour("gpt-a", Behaviour.defaults().withFailure(Failure.STATUS_500));
    fake.provider().setBehaviour(Behaviour.defaults().withChunks(2));

    HttpResponse<String> a = openAi("gpt-a", "x");
    HttpResponse<String> b = openAi("gpt-b", "x");

    assertThat(a.statusCode()).isEqualTo(500);
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(json(b.body()).at("/choices/0/message/content").asText()).isEqualTo("Fake reply");
    assertThat(fake.provider().behaviour("gpt-a").failure()).isEqualTo(Failure.STATUS_500);
    assertThat(fake.provider().behaviour("gpt-b").chunks()).isEqualTo(2);
  }

  @Test
  void the_azure_deployment_and_the_gemini_path_model_name_the_upstream_model() {
    fake.provider().setBehaviour("eu-deployment", Behaviour.defaults().withFailure(Failure.STATUS_429).withRetryAfterSeconds(2));
    fake.provider().setBehaviour("gemini-down", Behaviour.defaults().withFailure(Failure.STATUS_529));
    fake.provider().setBehaviour("claude-down", Behaviour.defaults().withFailure(Failure.STATUS_529));

    HttpResponse<String> limited = azure("eu-deployment");
    HttpResponse<String> otherDeployment = azure("us-deployment");
    HttpResponse<String> overloaded = geminiCall("gemini-down");
    HttpResponse<String> otherGemini = geminiCall("gemini-up");
    HttpResponse<String> claude = anthropic("claude-down");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).contains("2");
    assertThat(otherDeployment.statusCode()).isEqualTo(200);
    assertThat(overloaded.statusCode()).isEqualTo(503);
    assertThat(otherGemini.statusCode()).isEqualTo(200);
    assertThat(claude.statusCode()).isEqualTo(529);
  }

  @Test
  void embeddings_follow_their_models_behaviour() {
    fake.provider().setBehaviour("emb-down", Behaviour.defaults().withFailure(Failure.STATUS_500));

    HttpResponse<String> down = post(fake.url("/v1/embeddings"), "{\"model\":\"emb-down\",\"input\":\"x\"}", openAiAuth());
    HttpResponse<String> up = post(fake.url("/v1/embeddings"), "{\"model\":\"emb-up\",\"input\":\"x\"}", openAiAuth());

    assertThat(down.statusCode()).isEqualTo(500);
    assertThat(up.statusCode()).isEqualTo(200);
  }

  @Test
  void directives_still_override_a_model_behaviour() {
    fake.provider().setBehaviour("gpt-a", Behaviour.defaults().withFailure(Failure.STATUS_500));

    HttpResponse<String> r = openAi("gpt-a", "x [[fake:fail=429]]");

    assertThat(r.statusCode()).isEqualTo(429);
  }

  @Test
  void a_model_goes_back_to_the_default_when_its_behaviour_is_cleared() {
    fake.provider().setBehaviour("gpt-a", Behaviour.defaults().withFailure(Failure.STATUS_500));
    fake.provider().setBehaviour("gpt-b", Behaviour.defaults().withFailure(Failure.STATUS_500));

    fake.provider().setBehaviour("gpt-a", null);
    HttpResponse<String> a = openAi("gpt-a", "x");
    HttpResponse<String> bBefore = openAi("gpt-b", "x");
    fake.provider().clearModelBehaviours();
    HttpResponse<String> bAfter = openAi("gpt-b", "x");

    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(bBefore.statusCode()).isEqualTo(500);
    assertThat(bAfter.statusCode()).isEqualTo(200);
  }

  @Test
  void requests_are_recorded_and_counted_per_upstream_model() {
    openAi("gpt-a", "x");
    openAi("gpt-a", "y");
    openAi("gpt-b", "z");
    azure("eu-deployment");
    geminiCall("gemini-up");
    FakeHttp.get(fake.url("/_fake/health"));

    assertThat(fake.provider().requestsFor("gpt-a")).extracting(RecordedRequest::body)
        .allSatisfy(b -> assertThat(b).contains("\"gpt-a\"")).hasSize(2);
    assertThat(fake.provider().requestCount("gpt-a")).isEqualTo(2);
    assertThat(fake.provider().requestCount("gpt-b")).isEqualTo(1);
    assertThat(fake.provider().requestsFor("eu-deployment")).singleElement()
        .satisfies(r -> assertThat(r.path()).contains("/eu-deployment/"));
    assertThat(fake.provider().requestCount("gemini-up")).isEqualTo(1);
    assertThat(fake.provider().requestCount("never-called")).isZero();
    assertThat(fake.provider().requests()).filteredOn(r -> r.path().equals("/_fake/health"))
        .singleElement().satisfies(r -> assertThat(r.model()).isNull());
  }

  @Test
  void counts_go_beyond_the_recorded_requests_and_are_forgotten_with_them() {
    for (int i = 0; i < 210; i++) {
      openAi(i % 3 == 0 ? "gpt-a" : "gpt-b", "x");
    }

    assertThat(fake.provider().requestCount("gpt-a")).isEqualTo(70);
    assertThat(fake.provider().requestCount("gpt-b")).isEqualTo(140);
    assertThat(fake.provider().requests()).hasSize(200);
    fake.provider().clearRequests();
    assertThat(fake.provider().requestCount("gpt-a")).isZero();
    assertThat(fake.provider().requestsFor("gpt-b")).isEmpty();
  }
}
