package io.tollgate.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tollgate.protocol.Json;

/**
 * What a client's JSON may hold: Jackson's read constraints, chosen on purpose (a node reads them
 * from {@code tollgate.limits.json}). A body past any of them is refused with 400 before anything
 * else looks at it.
 *
 * <p>The depth must leave {@link Json#TRANSLATION_HEADROOM} levels below {@link Json#MAX_WRITE_DEPTH}:
 * a translator nests the client's JSON (a tool schema, tool arguments) a few levels deeper than it
 * came, and what it builds must still be writable.
 *
 * @param maxNestingDepth arrays and objects inside each other
 * @param maxNumberLength characters of one number
 * @param maxStringLength characters of one string value
 * @param maxNameLength characters of one member name
 * @param maxTokenCount JSON tokens of one document; 0 for no limit (the body size still bounds it)
 */
public record JsonLimits(
    int maxNestingDepth, int maxNumberLength, int maxStringLength, int maxNameLength, long maxTokenCount) {

  public JsonLimits {
    int deepest = Json.MAX_WRITE_DEPTH - Json.TRANSLATION_HEADROOM;
    if (maxNestingDepth < 2 || maxNestingDepth > deepest) {
      throw new IllegalArgumentException("max-nesting-depth must be from 2 to " + deepest + ", not " + maxNestingDepth);
    }
    if (maxNumberLength < 1 || maxStringLength < 1 || maxNameLength < 1 || maxTokenCount < 0) {
      throw new IllegalArgumentException("JSON limits must be positive (max-token-count: 0 for none)");
    }
  }

  StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(maxNestingDepth)
        .maxNumberLength(maxNumberLength)
        .maxStringLength(maxStringLength)
        .maxNameLength(maxNameLength)
        .maxTokenCount(maxTokenCount)
        .build();
  }

  /** A mapper that reads within these limits (and writes as {@link Json#MAPPER} does). */
  ObjectMapper mapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(constraints())
        .streamWriteConstraints(Json.WRITE_CONSTRAINTS)
        .build();
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }
}
