package io.tollgate.persistence.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** How Tollgate API keys look: generation of secrets and key ids, and the hash the registry stores. */
public final class ApiKeys {
  /** Every Tollgate secret starts with this. */
  public static final String SECRET_PREFIX = "tg_";
  /** Random base62 characters after the prefix of a generated secret. */
  public static final int SECRET_RANDOM_CHARS = 40;
  /** Shortest secret accepted as a preset (e.g. {@code TOLLGATE_DEMO_KEY}). */
  public static final int MIN_SECRET_LENGTH = 20;
  /** Longest secret accepted: anything longer is refused before it is hashed or looked up. */
  public static final int MAX_SECRET_LENGTH = 256;

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new secret: {@code "tg_"} and 40 base62 characters from {@link SecureRandom} (~238 bits). */
  public static String newSecret() {
    return SECRET_PREFIX + base62(SECRET_RANDOM_CHARS);
  }

  /** A new public key id: {@code "key_"} and 16 base62 characters. */
  public static String newKeyId() {
    return "key_" + base62(16);
  }

  /** Lower-case hex SHA-256 of the secret's UTF-8 bytes: the only form in which a secret is stored. */
  public static String sha256Hex(String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Whether {@code secret} has the shape of a Tollgate secret that may be preset. */
  public static boolean isValidPresetSecret(String secret) {
    return hasSecretShape(secret);
  }

  /**
   * Whether a presented value can be a Tollgate secret at all (prefix, length, printable ASCII
   * without spaces); anything else is refused without a lookup.
   */
  public static boolean hasSecretShape(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)
        || secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
      return false;
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static String base62(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return sb.toString();
  }
}
