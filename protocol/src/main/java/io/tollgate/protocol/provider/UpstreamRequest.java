package io.tollgate.protocol.provider;

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

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + url + " headers="
        + headers.stream().map(Map.Entry::getKey).toList() + " bytes=" + body.length
        + " streaming=" + streaming + "]";
  }
}
