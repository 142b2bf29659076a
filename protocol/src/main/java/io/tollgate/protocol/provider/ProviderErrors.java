package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.StreamEvent;
import java.util.regex.Pattern;

/**
 * What Tollgate says when a provider fails, for every backend schema: the provider's own words,
 * prefixed, bounded and scrubbed of anything shaped like a credential. A provider refusing
 * Tollgate's own credential (HTTP 401/403, or the schema's own marker for it) is the operator's
 * fault, not the client's: it becomes a 502 with one fixed message that names no key.
 */
public final class ProviderErrors {
  /** The only thing a client hears when a provider rejects the gateway's credential. */
  public static final String CREDENTIAL_REJECTED =
      "the provider rejected the gateway's credentials; the operator must fix the provider configuration";
  /** A provider answer that is not the JSON its schema promises. */
  public static final String UNREADABLE = "the provider answered with an unreadable body";
  private static final int MAX_MESSAGE_CHARS = 500;
  private static final Pattern KEY_LIKE =
      Pattern.compile("(sk-[A-Za-z0-9_\\-*]{6,}|AIza[0-9A-Za-z_\\-]{20,}|Bearer\\s+\\S+)");

  private ProviderErrors() {}

  /** Reads one schema's {@code error} member, given the kind the HTTP status implies. */
  @FunctionalInterface
  public interface ErrorReader {
    GatewayException read(ErrorKind statusKind, int status, JsonNode error);
  }

  /**
   * A provider's non-2xx answer as a gateway error: a refused credential (401/403) always reads
   * {@link #CREDENTIAL_REJECTED}; anything else is the schema's {@code reader} applied to the body's
   * {@code error} member (missing when the body is no JSON object).
   */
  public static GatewayException decode(int status, byte[] body, ErrorReader reader) {
    if (status == 401 || status == 403) {
      return credentialRejected();
    }
    return reader.read(ErrorKind.fromUpstreamStatus(status), status, errorMember(body));
  }


  public static GatewayException credentialRejected() {
    return new GatewayException(ErrorKind.UPSTREAM_ERROR, CREDENTIAL_REJECTED);
  }

  public static GatewayException unreadable() {
    return new GatewayException(ErrorKind.UPSTREAM_ERROR, UNREADABLE);
  }

  /**
   * "provider: " + the provider's message, cut to 500 characters with key-like tokens redacted.
   * Without a message: the HTTP status when there is one ({@code status > 0}), else a plain
   * "reported an error" (an error inside a 200 stream has no status of its own).
   */
  public static String message(String providerMessage, int status) {
    if (providerMessage == null || providerMessage.isBlank()) {
      return status > 0
          ? "provider: the provider answered HTTP " + status
          : "provider: the provider reported an error";
    }
    String text = KEY_LIKE.matcher(providerMessage).replaceAll("[redacted]");
    if (text.length() > MAX_MESSAGE_CHARS) {
      text = text.substring(0, MAX_MESSAGE_CHARS);
    }
    return "provider: " + text;
  }

  private static JsonNode errorMember(byte[] body) {
    JsonNode root = Json.readObject(body);
    return root == null ? MissingNode.getInstance() : root.path("error");
  }

  /** The same failure as a stream event, for errors that arrive inside a 200 stream. */
  public static StreamEvent.Failure inStream(GatewayException e) {
    return new StreamEvent.Failure(e.kind(), e.getMessage());
  }
}
