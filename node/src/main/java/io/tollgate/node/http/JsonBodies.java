package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.GatewayException;

/** Pulls out of a parsed request body the one field routing needs before translation: the model. */
public final class JsonBodies {
  private JsonBodies() {}

  public static String model(JsonNode body) {
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.invalid("model", "Missing required parameter: 'model'.");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw GatewayException.invalid("model", "'model' must be a non-empty string.");
    }
    return model.asText();
  }
}
