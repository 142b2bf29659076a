package io.tollgate.node.metrics;

import io.tollgate.protocol.ClientApi;

/**
 * The facts of one finished call that metrics are made of (the same ones the audit record holds).
 *
 * @param tenantId the caller's tenant
 * @param clientApi the API the client spoke
 * @param logicalModel the model the client asked for; null when the body had none
 * @param provider the catalogue deployment (provider account) that served it; null when the model
 *     was never resolved
 * @param upstreamModel the model name the provider knows; null when unresolved
 * @param streamed true for a streamed answer
 * @param status the HTTP status the client got (499 when it went away mid-stream)
 * @param errorType the audit error type ({@code upstream_timeout}, {@code client_disconnected},
 *     ...); null on success
 * @param inputTokens all prompt tokens, cached ones included ({@code Usage.totalInputTokens()})
 * @param outputTokens completion tokens
 * @param cachedTokens the prompt tokens read from the provider's prompt cache (a part of
 *     {@code inputTokens})
 * @param costMicros the call's price in micro-dollars
 * @param latencyMillis from arrival to the last byte
 * @param ttftMillis from arrival to the first streamed byte; -1 when nothing was streamed
 */
public record CallMetrics(
    String tenantId,
    ClientApi clientApi,
    String logicalModel,
    String provider,
    String upstreamModel,
    boolean streamed,
    int status,
    String errorType,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long costMicros,
    long latencyMillis,
    long ttftMillis) {}
