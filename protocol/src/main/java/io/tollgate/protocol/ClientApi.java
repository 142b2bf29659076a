package io.tollgate.protocol;

/** The API a client speaks to Tollgate; decides request parsing, response and error shapes. */
public enum ClientApi {
  /** OpenAI Chat Completions / Embeddings / Models. */
  OPENAI,
  /** Anthropic Messages. */
  ANTHROPIC
}
