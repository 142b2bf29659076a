package io.tollgate.persistence.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Stores a call's request and response bodies for tenants that opted in ({@code store_bodies} in
 * the tenant's settings). Bodies are never stored by default. What is stored has personal data and
 * secrets replaced by {@link PiiRedactor} and is cut at {@link #MAX_BODY_BYTES} UTF-8 bytes (the
 * stored row says whether a body was cut).
 */
public final class AuditBodies {
  /** Each body is cut after this many UTF-8 bytes (64 KiB), after redaction. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final AuditStore store;
  private final Function<String, CompletionStage<Boolean>> storesBodies;

  /**
   * @param storesBodies whether a tenant opted in to storing bodies, e.g.
   *     {@code TenantSettingsStore::storesBodies} (cached, so asking per call is cheap)
   */
  public AuditBodies(AuditStore store, Function<String, CompletionStage<Boolean>> storesBodies) {
    this.store = Objects.requireNonNull(store, "store");
    this.storesBodies = Objects.requireNonNull(storesBodies, "storesBodies");
  }

  /**
   * Captures the bodies of one finished call, if its tenant opted in. Call it once per call, after
   * the answer is complete (for a stream: with the text the client received), next to writing the
   * audit record. It returns at once; the redaction and the write run asynchronously and never
   * delay the response.
   *
   * @param requestId the audit record's request id
   * @param time the audit record's time ({@code AuditRecord.time()}): it picks the day partition
   * @param requestJson the request body as the client sent it; may be null
   * @param responseText the answer as sent to the client (JSON, or the SSE text of a stream); may be null
   * @return true when the bodies were stored; false when the tenant has not opted in. Fails when
   *     the settings could not be read or the write failed after its retries.
   */
  public CompletionStage<Boolean> capture(
      String tenantId, String requestId, Instant time, String requestJson, String responseText) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(time, "time");
    // Async: the settings answer from a cache, and redacting a large body must not run on the caller's thread.
    return storesBodies.apply(tenantId).thenComposeAsync(optedIn -> {
      if (!Boolean.TRUE.equals(optedIn)) {
        return CompletableFuture.completedFuture(false);
      }
      Cut request = cut(PiiRedactor.redact(requestJson));
      Cut response = cut(PiiRedactor.redact(responseText));
      StoredBodies bodies = new StoredBodies(tenantId, requestId, time, request.text(), response.text(),
          request.truncated(), response.truncated());
      return store.writeBodies(bodies).thenApply(done -> true);
    });
  }

  record Cut(String text, boolean truncated) {}

  /** The text cut to at most {@link #MAX_BODY_BYTES} UTF-8 bytes, never inside a character. */
  static Cut cut(String text) {
    if (text == null) {
      return new Cut(null, false);
    }
    // A char is at most 3 UTF-8 bytes (surrogate pairs: 4 for 2 chars): short texts need no encoding.
    if (text.length() * 3L <= MAX_BODY_BYTES) {
      return new Cut(text, false);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_BODY_BYTES) {
      return new Cut(text, false);
    }
    int end = MAX_BODY_BYTES;
    // Step back over continuation bytes (10xxxxxx) to the start of the character that would be split.
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new Cut(new String(bytes, 0, end, StandardCharsets.UTF_8), true);
  }
}
