package io.tollgate.protocol.canonical;

import java.util.List;

/** One conversation turn. */
public record Message(Role role, List<Part> parts) {}
