package io.tollgate.fake;

/** The request's tool choice, normalised across providers. */
enum ToolChoiceMode {
  /** The model decides (the fake calls a tool only on {@code [[fake:tool]]}). */
  AUTO,
  /** Tools are disabled. */
  NONE,
  /** Some tool must be called: OpenAI {@code required}, Anthropic {@code any}, Gemini {@code ANY}. */
  ANY,
  /** One named tool must be called. */
  NAMED
}
