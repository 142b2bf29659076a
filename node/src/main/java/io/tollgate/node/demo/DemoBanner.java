package io.tollgate.node.demo;

import com.typesafe.config.Config;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.metrics.Telemetry;
import java.util.stream.Collectors;

/** What {@code ./tollgate up} prints once the node serves: the URL, the demo key and examples to paste. */
public final class DemoBanner {
  private DemoBanner() {}

  public static TollgateNode print(TollgateNode node, String key, Config config) {
    String url = node.url();
    String models = node.catalog().all().stream().map(ModelGroup::logicalModel).collect(Collectors.joining(", "));
    String admin = config.getString("tollgate.admin-token").isEmpty()
        ? "(admin API off: set TOLLGATE_ADMIN_TOKEN)"
        : "Authorization: Bearer $TOLLGATE_ADMIN_TOKEN";
    System.out.println(String.join("\n",
        "",
        "Tollgate is up.",
        "  URL:         " + url,
        "  Demo tenant: " + DemoSetup.TENANT,
        "  Demo key:    " + key,
        "  Models:      " + models,
        "  Admin API:   " + url + "/admin  " + admin,
        "  Metrics:     " + metrics(config),
        "",
        "Try it (OpenAI Chat Completions, streaming):",
        "  curl -N " + url + "/v1/chat/completions -H 'Authorization: Bearer " + key + "' \\",
        "    -H 'content-type: application/json' \\",
        "    -d '{\"model\":\"demo-openai\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'",
        "",
        "Anthropic Messages, served by a Gemini-schema model:",
        "  curl " + url + "/v1/messages -H 'x-api-key: " + key + "' -H 'anthropic-version: 2023-06-01' \\",
        "    -H 'content-type: application/json' \\",
        "    -d '{\"model\":\"demo-gemini\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'",
        "",
        "OpenAI Java SDK: OpenAIOkHttpClient.builder().baseUrl(\"" + url + "/v1\").apiKey(\"" + key + "\").build()",
        "Anthropic Java SDK: AnthropicOkHttpClient.builder().baseUrl(\"" + url + "\").apiKey(\"" + key + "\").build()",
        "",
        "Press Ctrl-C to stop.",
        "TOLLGATE_READY url=" + url));
    System.out.flush();
    return node;
  }

  private static String metrics(Config config) {
    int port = Telemetry.prometheusPort();
    if (port < 0) {
      return "(off)";
    }
    String host = config.getString("tollgate.metrics.prometheus-host");
    return "http://" + ("0.0.0.0".equals(host) || host.isBlank() ? "127.0.0.1" : host) + ":" + port + "/metrics";
  }

  public static TollgateNode printPlain(TollgateNode node) {
    System.out.println("Tollgate is up: " + node.url());
    System.out.println("TOLLGATE_READY url=" + node.url());
    System.out.flush();
    return node;
  }
}
