package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/**
 * One applicable limit after a lease decision, for the {@code x-ratelimit-*} headers.
 *
 * @param remaining what is left in the window after this grant (for a refusal: what was left)
 * @param resetsAt end of the window; null for LIFETIME
 */
public record LimitStatus(LimitKind kind, Period period, String scope, long limit, long remaining, Instant resetsAt)
    implements CborSerializable {}
