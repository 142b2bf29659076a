package io.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The one shared, thread-safe Jackson mapper for wire JSON, and the few ways every codec uses it.
 * It reads provider answers and what codecs re-read (tool arguments); client bodies are read
 * within the gateway's own limits ({@link io.tollgate.protocol.json.RequestJson}).
 */
public final class Json {
  /** Deepest JSON any tree may be written at: Jackson's default, stated so the read limits can be held below it. */
  public static final int MAX_WRITE_DEPTH = 1000;
  /** Levels a translator may add above a client's JSON (a tool schema moved into {@code tools[].function.parameters}). */
  public static final int TRANSLATION_HEADROOM = 16;
  public static final StreamWriteConstraints WRITE_CONSTRAINTS =
      StreamWriteConstraints.builder().maxNestingDepth(MAX_WRITE_DEPTH).build();
  /**
   * Jackson's read defaults except the depth, which stays {@link #TRANSLATION_HEADROOM} under the
   * write depth: whatever this mapper reads can be nested into a provider request and still written.
   */
  private static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
      .maxNestingDepth(MAX_WRITE_DEPTH - TRANSLATION_HEADROOM)
      .build();

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder()
              .streamReadConstraints(READ_CONSTRAINTS)
              .streamWriteConstraints(WRITE_CONSTRAINTS)
              .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** A tree as UTF-8 JSON bytes (a tree always serialises). */
  public static byte[] bytes(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** A tree as JSON text (a tree always serialises). */
  public static String text(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** The bytes parsed as a JSON object; null when they are null, empty, not JSON or not an object. */
  public static ObjectNode readObject(byte[] json) {
    if (json == null || json.length == 0) {
      return null;
    }
    try {
      return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The text parsed as a JSON object; null when it is null, blank, not JSON or not an object. */
  public static ObjectNode readObject(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }
}
