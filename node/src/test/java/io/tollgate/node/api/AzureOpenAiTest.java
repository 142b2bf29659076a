package io.tollgate.node.api;

import static io.tollgate.node.testing.Calls.chatBody;
import static io.tollgate.node.testing.Calls.json;
import static io.tollgate.node.testing.Calls.openAiChat;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.fake.RecordedRequest;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** An Azure OpenAI deployment is reached on its deployment URL with the api-key header, never a bearer token. */
class AzureOpenAiTest {

  @Test
  void azure_model_is_called_on_its_deployment_url_with_the_api_key_header() {
    TestGateway gateway = TestGateway.get();
    TestGateway.Tenant tenant = gateway.newTenant();
    String marker = "azure-" + tenant.id();

    HttpResponse<String> r = gateway.send(openAiChat(gateway.url(), tenant.key().secret(), chatBody(TestGateway.AZURE_MODEL, marker)));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).get("model").asText()).isEqualTo(TestGateway.AZURE_MODEL);
    RecordedRequest upstream = gateway.fake.requests().stream()
        .filter(q -> q.body().contains(marker)).findFirst().orElseThrow();
    assertThat(upstream.pathAndQuery()).isEqualTo("/openai/deployments/" + TestGateway.AZURE_DEPLOYMENT
        + "/chat/completions?api-version=" + TestGateway.AZURE_API_VERSION);
    assertThat(upstream.header("api-key")).hasValue("fake-provider-key");
    assertThat(upstream.header("authorization")).isEmpty();
    assertThat(upstream.body()).doesNotContain(tenant.key().secret());
  }
}
