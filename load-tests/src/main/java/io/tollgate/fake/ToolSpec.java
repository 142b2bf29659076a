package io.tollgate.fake;

/**
 * A tool the request defined.
 *
 * @param name the tool's name
 * @param argumentKey the first property of its parameter schema, or {@code input} when it has none
 */
record ToolSpec(String name, String argumentKey) {}
