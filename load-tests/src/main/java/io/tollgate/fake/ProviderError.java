package io.tollgate.fake;

/**
 * An error answer: HTTP status and the provider-shaped JSON body.
 *
 * @param status HTTP status
 * @param body JSON body
 */
record ProviderError(int status, byte[] body) {}
