package io.tollgate.node.metrics;

/** The OpenTelemetry {@code gen_ai.operation.name} of a call. */
public enum GenAiOperation {
  CHAT("chat"),
  EMBEDDINGS("embeddings");

  private final String label;

  GenAiOperation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
