package io.tollgate.fake;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the fake provider received it.
 *
 * @param method HTTP method
 * @param pathAndQuery raw path plus {@code ?query} when present
 * @param headers every header, names lower-cased, in arrival order (including {@code content-type})
 * @param body the body as UTF-8 text
 * @param model the upstream model the request named: the body's {@code model}, the Azure deployment
 *     or the Gemini model of the path; null when it named none (e.g. {@code GET /v1/models})
 */
public record RecordedRequest(
    String method, String pathAndQuery, Map<String, List<String>> headers, String body, String model) {

  public RecordedRequest {
    Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** A request that named no model. */
  public RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
    this(method, pathAndQuery, headers, body, null);
  }

  /** First value of a header, looked up case-insensitively. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The path without the query. */
  public String path() {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  /** Header values and the query carry credentials, so only names are printed. */
  @Override
  public String toString() {
    return "RecordedRequest[" + method + " " + path() + " model=" + model + " headers=" + headers.keySet()
        + " bodyChars=" + body.length() + "]";
  }
}
