package io.tollgate.fake;

/**
 * What one request asked of the fake: the resolved behaviour plus the tool directive.
 *
 * @param behaviour the behaviour after applying the request's directives
 * @param toolRequested {@code [[fake:tool]]} was present
 * @param toolName the tool named by {@code [[fake:tool=name]]}, or null
 */
record RequestPlan(Behaviour behaviour, boolean toolRequested, String toolName) {}
