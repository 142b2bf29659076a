package io.tollgate.persistence.tenantadmin;

import java.time.Instant;

/** A tenant admin token as it may be shown and listed: never its secret or hash. */
public record AdminToken(String tokenId, String tenantId, String name, Instant createdAt) {}
