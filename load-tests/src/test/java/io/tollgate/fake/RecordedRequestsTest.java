package io.tollgate.fake;

import static io.tollgate.fake.FakeHttp.OPENAI_CHAT;
import static io.tollgate.fake.FakeHttp.openAiAuth;
import static io.tollgate.fake.FakeHttp.openAiChat;
import static io.tollgate.fake.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordedRequestsTest {
  @RegisterExtension
  static final FakeProviderExtension fake = new FakeProviderExtension();

  @Test
  void records_method_path_query_headers_and_body() {
    String body = openAiChat(false, "hi");
    post(fake.url() + "/openai/deployments/d/chat/completions?api-version=v1", body,
        "api-key", FakeHttp.KEY, "x-trace", "abc");

    List<RecordedRequest> requests = fake.provider().requests();
    assertThat(requests).hasSize(1);
    RecordedRequest r = requests.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.pathAndQuery()).isEqualTo("/openai/deployments/d/chat/completions?api-version=v1");
    assertThat(r.path()).isEqualTo("/openai/deployments/d/chat/completions");
    assertThat(r.header("API-Key")).contains(FakeHttp.KEY);
    assertThat(r.header("x-trace")).contains("abc");
    assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void records_rejected_requests_too_and_never_prints_credentials() {
    post(fake.url(OPENAI_CHAT), openAiChat(false, "hi"), "authorization", "Bearer wrong-secret");

    RecordedRequest r = fake.provider().requests().get(0);
    assertThat(r.header("authorization")).contains("Bearer wrong-secret");
    assertThat(r.toString()).doesNotContain("wrong-secret").contains("authorization");
  }

  @Test
  void keeps_only_the_last_200_requests() {
    for (int i = 0; i < 205; i++) {
      FakeHttp.get(fake.url() + "/_fake/health?i=" + i);
    }

    List<RecordedRequest> requests = fake.provider().requests();
    assertThat(requests).hasSize(200);
    assertThat(requests.get(0).pathAndQuery()).isEqualTo("/_fake/health?i=5");
    assertThat(requests.get(199).pathAndQuery()).isEqualTo("/_fake/health?i=204");
  }

  @Test
  void clear_requests_forgets_what_was_recorded() {
    post(fake.url(OPENAI_CHAT), openAiChat(false, "hi"), openAiAuth());

    fake.provider().clearRequests();

    assertThat(fake.provider().requests()).isEmpty();
  }

  @Test
  void health_answers_200_and_unknown_paths_404() {
    assertThat(FakeHttp.get(fake.url() + "/_fake/health").statusCode()).isEqualTo(200);
    assertThat(FakeHttp.get(fake.url() + "/v2/nothing").statusCode()).isEqualTo(404);
  }
}
