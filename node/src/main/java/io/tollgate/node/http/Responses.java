package io.tollgate.node.http;

import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Headers every response carries. */
public final class Responses {
  private Responses() {}

  /** Adds the request id under both names clients read: OpenAI's {@code x-request-id}, Anthropic's {@code request-id}. */
  public static HttpResponse withRequestId(HttpResponse response, String requestId) {
    return response.addHeader(RawHeader.create("x-request-id", requestId))
        .addHeader(RawHeader.create("request-id", requestId));
  }
}
