package io.tollgate.fake;

import java.util.List;

/**
 * The tool call the fake answers with.
 *
 * @param name the tool called
 * @param argumentKey the single argument's name
 * @param argumentsJson the whole arguments object, {@code {"<key>":"fake"}}
 * @param fragments {@code argumentsJson} split into at least two pieces for streaming
 */
record ToolCall(String name, String argumentKey, String argumentsJson, List<String> fragments) {}
