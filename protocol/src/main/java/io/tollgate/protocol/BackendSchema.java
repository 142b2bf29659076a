package io.tollgate.protocol;

/**
 * The wire schema a provider speaks. Adapters are keyed by schema, not vendor: Groq, Together,
 * vLLM, Ollama, Mistral and Azure OpenAI all speak {@link #OPENAI}.
 */
public enum BackendSchema {
  OPENAI,
  ANTHROPIC,
  GEMINI;

  public static BackendSchema parse(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "openai", "openai-compatible", "azure", "azure-openai" -> OPENAI;
      case "anthropic" -> ANTHROPIC;
      case "gemini", "google" -> GEMINI;
      default -> throw new IllegalArgumentException("unknown provider schema: " + value);
    };
  }
}
