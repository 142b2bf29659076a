package io.tollgate.persistence.tenantadmin;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks tenant admin tokens without I/O. A token is
 * {@code tga_<tenant>.<token id>.<random>.<tag>}: the tenant id (base64url), the token id, 32
 * random bytes (base64url) and an HMAC-SHA256 tag (first 16 bytes, base64url) over everything
 * before it, under the cluster's token key. A token whose tag does not verify was not issued by
 * this cluster and is refused before any lookup; one that verifies still has to be found in the
 * token table (revocation deletes it there).
 *
 * <p>The key is {@code tollgate.tenant-admin.token-secret} ({@code TOLLGATE_TENANT_TOKEN_SECRET}),
 * the same on every node; when that is empty it is derived from the global admin token (so
 * changing the admin token then invalidates every tenant admin token).
 */
public final class AdminTokenSigner {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int TAG_BYTES = 16;
  private static final int RANDOM_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
  private static final Pattern TOKEN_ID = Pattern.compile("tat_[0-9a-f]{16}");
  /** The longest signed token looked at: tenant ids are short; anything longer is refused unread. */
  private static final int MAX_LENGTH = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  AdminTokenSigner(byte[] key) {
    this.key = key.clone();
  }

  /** The cluster's signer from {@code tollgate.tenant-admin.token-secret}, else derived from {@code tollgate.admin-token}. */
  public static AdminTokenSigner from(Config config) {
    String secret = string(config, "tollgate.tenant-admin.token-secret");
    if (!secret.isEmpty()) {
      return new AdminTokenSigner(secret.getBytes(StandardCharsets.UTF_8));
    }
    // Without an admin token the admin API is off, so no tenant admin token can be used: the
    // derived key then only has to agree between stores (tests of the store alone).
    String adminToken = string(config, "tollgate.admin-token");
    return new AdminTokenSigner(hmac(("tollgate-admin-token:" + adminToken).getBytes(StandardCharsets.UTF_8),
        "tollgate tenant admin token key v1".getBytes(StandardCharsets.UTF_8)));
  }

  /** What a verified token says about itself. */
  public record Claims(String tenantId, String tokenId) {}

  /** A new secret for {@code tokenId} of {@code tenantId}. */
  String issue(String tenantId, String tokenId) {
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    String body = AdminTokenStore.PREFIX + B64.encodeToString(tenantId.getBytes(StandardCharsets.UTF_8))
        + "." + tokenId + "." + B64.encodeToString(random);
    return body + "." + B64.encodeToString(tag(body));
  }

  /** The claims of a token this cluster signed; empty for anything else (no I/O, constant-time tag check). */
  public Optional<Claims> verify(String secret) {
    if (secret == null || secret.length() > MAX_LENGTH || !secret.startsWith(AdminTokenStore.PREFIX)) {
      return Optional.empty();
    }
    int lastDot = secret.lastIndexOf('.');
    String[] parts = secret.substring(AdminTokenStore.PREFIX.length()).split("\\.", -1);
    if (parts.length != 4 || !TOKEN_ID.matcher(parts[1]).matches()) {
      return Optional.empty();
    }
    try {
      byte[] presented = B64_DECODE.decode(parts[3]);
      if (!MessageDigest.isEqual(presented, tag(secret.substring(0, lastDot)))) {
        return Optional.empty();
      }
      return Optional.of(new Claims(new String(B64_DECODE.decode(parts[0]), StandardCharsets.UTF_8), parts[1]));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  /** Whether {@code secret} has the shape of a token issued before tokens were signed ({@code tga_} and 43 base64url characters). */
  static boolean unsignedShape(String secret) {
    return secret != null && secret.startsWith(AdminTokenStore.PREFIX) && secret.length() == 47
        && secret.indexOf('.') < 0;
  }

  private byte[] tag(String body) {
    byte[] full = hmac(key, body.getBytes(StandardCharsets.UTF_8));
    byte[] tag = new byte[TAG_BYTES];
    System.arraycopy(full, 0, tag, 0, TAG_BYTES);
    return tag;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static String string(Config config, String path) {
    return config.hasPath(path) ? config.getString(path).trim() : "";
  }
}
