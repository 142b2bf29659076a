package io.tollgate.protocol.canonical;

import io.tollgate.protocol.usage.Usage;
import java.util.List;

/**
 * A complete (non-streamed) answer in provider-neutral form.
 *
 * @param id the provider's response id (a client encoder may mint its own instead)
 * @param content text, tool calls and thinking blocks in order
 */
public record ChatResponse(String id, List<Part> content, StopReason stopReason, Usage usage) {}
