package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;

/** Which upstream model a request is for, read the way each provider API names it. */
final class UpstreamModel {
  private static final String AZURE = "/openai/deployments/";

  private UpstreamModel() {}

  /**
   * The Azure deployment or the Gemini model of {@code path}, else the body's {@code model}; null
   * when there is none.
   */
  static String of(String path, JsonNode body) {
    if (path.startsWith(AZURE)) {
      int end = path.indexOf('/', AZURE.length());
      String deployment = path.substring(AZURE.length(), end < 0 ? path.length() : end);
      return deployment.isEmpty() ? null : deployment;
    }
    if (path.startsWith("/v1beta/models/") || path.startsWith("/v1/models/")) {
      int start = path.indexOf("/models/") + "/models/".length();
      int colon = path.lastIndexOf(':');
      if (colon > start) {
        return path.substring(start, colon);
      }
    }
    JsonNode model = body == null ? null : body.get("model");
    return model != null && model.isTextual() && !model.asText().isEmpty() ? model.asText() : null;
  }
}
