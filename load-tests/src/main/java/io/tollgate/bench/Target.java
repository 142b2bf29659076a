package io.tollgate.bench;

import java.net.URI;
import java.util.Map;

/**
 * Where a workload sends its requests.
 *
 * @param name {@code direct} or {@code gateway}
 * @param chatUrl the {@code /v1/chat/completions} URL
 * @param key sent as {@code Authorization: Bearer}
 * @param model the model to ask for
 * @param headers sent with each request besides the key and content type (a peer's routing headers)
 */
record Target(String name, URI chatUrl, String key, String model, Map<String, String> headers) {
  Target(String name, URI chatUrl, String key, String model) {
    this(name, chatUrl, key, model, Map.of());
  }

  @Override
  public String toString() {
    return "Target[" + name + " " + chatUrl + " model=" + model + "]";
  }
}
