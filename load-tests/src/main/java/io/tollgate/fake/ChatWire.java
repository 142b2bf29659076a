package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.util.ByteString;

/** One provider's chat format: reading the request and writing answers and stream frames. */
interface ChatWire {
  /**
   * @param pathModel the model named in the URL (Azure deployment, Gemini model), else null
   * @param pathStreams the URL itself asks for a stream (Gemini streamGenerateContent)
   */
  ChatCall read(JsonNode body, String pathModel, boolean pathStreams);

  byte[] complete(ChatAnswer a);

  StreamScript stream(ChatAnswer a);

  /** An error frame sent after a 200 in the middle of a stream. */
  ByteString inBandErrorFrame();

  /** The error body a non-streaming answer carries instead of a result, under a 200. */
  byte[] inBandErrorBody();
}
