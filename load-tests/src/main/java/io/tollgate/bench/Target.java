package io.tollgate.bench;

import java.net.URI;

/**
 * Where a workload sends its requests.
 *
 * @param name {@code direct} or {@code gateway}
 * @param chatUrl the {@code /v1/chat/completions} URL
 * @param key sent as {@code Authorization: Bearer}
 * @param model the model to ask for
 */
record Target(String name, URI chatUrl, String key, String model) {
  @Override
  public String toString() {
    return "Target[" + name + " " + chatUrl + " model=" + model + "]";
  }
}
