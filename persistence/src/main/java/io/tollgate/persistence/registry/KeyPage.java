package io.tollgate.persistence.registry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** One page of a tenant's keys, oldest first; {@code next} is null on the last page. */
public record KeyPage(List<KeyInfo> keys, Cursor next) {

  public KeyPage {
    keys = List.copyOf(keys);
  }

  /** Where the next page starts: after the key created at {@code createdAt} with id {@code keyId}. */
  public record Cursor(Instant createdAt, String keyId) {

    static Cursor after(KeyInfo key) {
      return new Cursor(key.createdAt(), key.keyId());
    }

    /** An opaque URL-safe token for the admin API. */
    public String token() {
      String plain = createdAt.toEpochMilli() + ":" + keyId;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a token made by {@link #token}; empty when it is not one. */
    public static Optional<Cursor> parse(String token) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        int colon = plain.indexOf(':');
        if (colon <= 0 || colon == plain.length() - 1 || plain.length() > 200) {
          return Optional.empty();
        }
        return Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
            plain.substring(colon + 1)));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}
