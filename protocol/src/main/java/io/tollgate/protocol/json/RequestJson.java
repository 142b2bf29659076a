package io.tollgate.protocol.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.io.IOException;

/**
 * Reads a client's request body within {@link JsonLimits}. Every way a body can fail to read
 * (not JSON, not an object, past a limit) is a {@link GatewayException} of kind
 * {@link ErrorKind#INVALID_REQUEST}, so the client gets a 400 in its own error shape.
 */
public final class RequestJson {
  /** The {@code code} of a 400 for a body past one of the JSON limits. */
  public static final String LIMIT_CODE = "json_limit_exceeded";

  private final JsonLimits limits;
  private final ObjectMapper mapper;

  public RequestJson(JsonLimits limits) {
    this.limits = limits;
    this.mapper = limits.mapper();
  }

  public JsonLimits limits() {
    return limits;
  }

  /** The body as a JSON object. */
  public ObjectNode parseObject(byte[] body) {
    if (body == null || body.length == 0) {
      throw GatewayException.invalid(null, "Request body is empty; expected a JSON object.");
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new GatewayException(ErrorKind.INVALID_REQUEST, limitMessage(e), null, LIMIT_CODE);
    } catch (JsonProcessingException e) {
      throw GatewayException.invalid(null, "Request body is not valid JSON" + where(e.getLocation()) + ".");
    } catch (IOException e) {
      throw GatewayException.invalid(null, "Request body could not be read as JSON.");
    }
    if (!(node instanceof ObjectNode object)) {
      throw GatewayException.invalid(null, "Request body must be a JSON object.");
    }
    return object;
  }

  /** Says which limit was passed, in the settings' words, without echoing any of the body. */
  private String limitMessage(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    String what;
    if (m.contains("nesting depth")) {
      what = "nests arrays and objects deeper than " + limits.maxNestingDepth() + " levels";
    } else if (m.contains("Number value length")) {
      what = "has a number longer than " + limits.maxNumberLength() + " characters";
    } else if (m.contains("Name length")) {
      what = "has a member name longer than " + limits.maxNameLength() + " characters";
    } else if (m.contains("String value length")) {
      what = "has a string longer than " + limits.maxStringLength() + " characters";
    } else if (m.contains("Token count")) {
      what = "has more than " + limits.maxTokenCount() + " JSON tokens";
    } else {
      what = "passes a JSON limit of this gateway";
    }
    return "Request body " + what + ".";
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
