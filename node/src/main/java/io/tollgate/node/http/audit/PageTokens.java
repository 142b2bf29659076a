package io.tollgate.node.http.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tollgate.persistence.audit.AuditCursor;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque paging tokens of the audit listing: the cursor, the tenant and the query's filters,
 * signed with HMAC-SHA256 under a key every node derives from the shared admin token. A token
 * cannot be forged, nor used for another tenant or another filter.
 */
public final class PageTokens {
  private static final int SIGNATURE_BYTES = 16;
  private final SecretKeySpec key;

  public PageTokens(String adminToken) {
    try {
      byte[] derived = MessageDigest.getInstance("SHA-256")
          .digest(("tollgate-audit-page-token\u0000" + adminToken).getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(derived, "HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The token for the page after {@code cursor}. */
  public String encode(String tenantId, String filterFingerprint, AuditCursor cursor) {
    var payload = JsonNodeFactory.instance.objectNode()
        .put("t", tenantId)
        .put("f", filterFingerprint)
        .put("ms", cursor.time().toEpochMilli())
        .put("r", cursor.requestId());
    String body;
    try {
      body = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(payload));
    } catch (java.io.IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(body));
  }

  /** The cursor of a token this node (or another) issued for the same tenant and filters. */
  public AuditCursor decode(String token, String tenantId, String filterFingerprint) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw invalid();
    }
    String body = token.substring(0, dot);
    byte[] signature;
    JsonNode payload;
    try {
      signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, sign(body))) {
        throw invalid();
      }
      payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(body));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw invalid();
    }
    if (!tenantId.equals(payload.path("t").asText(null)) || !filterFingerprint.equals(payload.path("f").asText(null))
        || !payload.path("ms").canConvertToLong() || !payload.path("r").isTextual()) {
      throw invalid();
    }
    return new AuditCursor(Instant.ofEpochMilli(payload.path("ms").asLong()), payload.path("r").asText());
  }

  private byte[] sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), SIGNATURE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static GatewayException invalid() {
    return GatewayException.invalid("page_token",
        "'page_token' is not a token of this listing: pass the next_page_token of the previous page with the same tenant and filters.");
  }
}
