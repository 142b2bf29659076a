package io.tollgate.node.audit;

import io.tollgate.persistence.audit.AuditBodies;
import org.apache.pekko.util.ByteString;

/**
 * The bodies of one call of a tenant that opted in to body storage: the request as received and
 * the response as sent (for streams, the client's frames, kept only up to the stored limit).
 * Redaction happens when they are stored ({@link AuditBodies}).
 */
public final class BodyCapture {
  private final ByteString request;
  private final StringBuilder response = new StringBuilder();

  public BodyCapture(ByteString request) {
    this.request = request;
  }

  public synchronized void response(String text) {
    // one character over the limit, so that storing marks the body as truncated
    int room = AuditBodies.MAX_BODY_BYTES + 1 - response.length();
    if (room > 0) {
      response.append(text, 0, Math.min(room, text.length()));
    }
  }

  public String requestText() {
    return request.utf8String();
  }

  public synchronized String responseText() {
    return response.toString();
  }
}
