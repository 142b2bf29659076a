package io.tollgate.persistence.region;

import io.tollgate.persistence.CborSerializable;

/** The old home's entity of {@code tenantId} stopped writing ({@code wasRunning}: it had been running). */
public record FenceAck(String tenantId, long version, boolean wasRunning) implements CborSerializable {}
