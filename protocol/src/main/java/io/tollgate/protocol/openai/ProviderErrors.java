package io.tollgate.protocol.openai;

import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.regex.Pattern;

/**
 * Turns what a provider said about a failure into a message fit for the client and the audit
 * record: prefixed, bounded, and scrubbed of anything shaped like a credential. A rejected
 * provider credential is Tollgate's fault, not the client's, so it becomes a 502 that names no key.
 */
public final class ProviderErrors {
  public static final String CREDENTIAL_REJECTED =
      "the provider rejected the gateway's credentials for this model; the operator must fix the provider configuration";
  private static final int MAX_MESSAGE = 500;
  private static final Pattern KEY_LIKE =
      Pattern.compile("(sk-[A-Za-z0-9_\\-*]{6,}|AIza[0-9A-Za-z_\\-]{20,}|Bearer\\s+\\S+)");

  private ProviderErrors() {}

  public static GatewayException credentialRejected() {
    return new GatewayException(ErrorKind.UPSTREAM_ERROR, CREDENTIAL_REJECTED);
  }

  /** "provider: " + the provider's message, truncated and with key-like tokens redacted. */
  public static String message(String providerMessage) {
    String m = KEY_LIKE.matcher(providerMessage == null ? "" : providerMessage).replaceAll("[redacted]");
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE) + "...";
    }
    return "provider: " + m;
  }

  /** The message when the provider's body said nothing readable. */
  public static String statusOnly(int status) {
    return "provider: the provider answered HTTP " + status;
  }

  /** The kind for a provider status; null when the status means the provider refused our credential. */
  public static ErrorKind kindFor(int status) {
    if (status == 401 || status == 403) {
      return null;
    }
    return ErrorKind.fromUpstreamStatus(status);
  }
}
