package io.tollgate.protocol.sse;

/**
 * One Server-Sent Event as received from a provider.
 *
 * @param event the {@code event:} field, or null when absent (OpenAI and Gemini streams)
 * @param data the {@code data:} lines joined by newlines
 */
public record SseEvent(String event, String data) {}
