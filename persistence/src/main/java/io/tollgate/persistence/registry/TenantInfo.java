package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.time.Instant;

/** A tenant as the registry knows it. */
public record TenantInfo(String tenantId, String name, Instant createdAt) implements CborSerializable {}
