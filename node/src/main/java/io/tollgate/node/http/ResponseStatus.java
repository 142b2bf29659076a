package io.tollgate.node.http;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * HTTP status codes for any number, including the non-standard ones providers send (Anthropic's
 * 529 overloaded): {@link StatusCodes#get(int)} throws for codes Pekko does not register.
 */
public final class ResponseStatus {
  private ResponseStatus() {}

  public static StatusCode of(int code) {
    return StatusCodes.lookup(code).orElseGet(() -> StatusCodes.custom(code, reason(code), reason(code)));
  }

  private static String reason(int code) {
    return code == 529 ? "Overloaded" : "Status " + code;
  }
}
