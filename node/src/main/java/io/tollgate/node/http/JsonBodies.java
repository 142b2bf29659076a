package io.tollgate.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.io.IOException;
import org.apache.pekko.util.ByteString;

/** Parses request bodies and pulls out the one field routing needs before translation: the model. */
public final class JsonBodies {
  private JsonBodies() {}

  public static JsonNode parseObject(ByteString bytes) {
    if (bytes.isEmpty()) {
      throw GatewayException.invalid(null, "Request body is empty; expected a JSON object.");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes.toArray());
    } catch (JsonProcessingException e) {
      throw GatewayException.invalid(null, "Request body is not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
    } catch (IOException e) {
      throw GatewayException.invalid(null, "Request body could not be read as JSON.");
    }
    if (node == null || !node.isObject()) {
      throw GatewayException.invalid(null, "Request body must be a JSON object.");
    }
    return node;
  }

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
