package io.tollgate.persistence.budget;

import io.tollgate.persistence.CborSerializable;

/**
 * One limit of a tenant.
 *
 * @param scope {@code tenant}, {@code team:<teamId>} or {@code key:<keyId>} (see {@link Scope})
 * @param amount micro-dollars for USD, tokens for TOKENS and TOKENS_PER_MINUTE, requests for
 *     REQUESTS_PER_MINUTE
 */
public record Limit(String scope, LimitKind kind, Period period, long amount) implements CborSerializable {}
