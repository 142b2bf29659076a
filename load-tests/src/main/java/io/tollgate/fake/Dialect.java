package io.tollgate.fake;

/** The provider API a request came in on; decides auth, error shape and response headers. */
enum Dialect {
  OPENAI,
  AZURE,
  ANTHROPIC,
  GEMINI
}
