package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to a provider, built by a translator. Headers carry credentials, so
 * {@code toString} lists only header names.
 *
 * @param method always POST today
 * @param url absolute URL including query
 * @param headers name/value pairs, including auth and {@code content-type}
 * @param body the JSON body
 * @param streaming whether the provider will answer with Server-Sent Events
 */
public record UpstreamRequest(
    String method, String url, List<Map.Entry<String, String>> headers, byte[] body, boolean streaming) {

  /**
   * A POST of a JSON body with the headers every provider takes, in this order: the schema's own
   * auth headers, {@code content-type}, {@code accept: text/event-stream} for streams, then the
   * endpoint's extra headers.
   */
  public static UpstreamRequest jsonPost(
      String url, List<Map.Entry<String, String>> authHeaders, ProviderEndpoint endpoint, JsonNode body,
      boolean streaming) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(authHeaders);
    headers.add(Map.entry("content-type", "application/json"));
    if (streaming) {
      headers.add(Map.entry("accept", "text/event-stream"));
    }
    if (endpoint.extraHeaders() != null) {
      endpoint.extraHeaders().forEach((k, v) -> headers.add(Map.entry(k, v)));
    }
    return new UpstreamRequest("POST", url, List.copyOf(headers), Json.bytes(body), streaming);
  }

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + url + " headers="
        + headers.stream().map(Map.Entry::getKey).toList() + " bytes=" + body.length
        + " streaming=" + streaming + "]";
  }
}
