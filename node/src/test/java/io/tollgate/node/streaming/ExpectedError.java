package io.tollgate.node.streaming;

import io.tollgate.node.testing.StreamingClient;

/**
 * How one gateway error must look: the status and error type in the audit record, and the
 * {@code error.type} each client API shows (values from wire-notes, written out so a change fails).
 */
record ExpectedError(int status, String auditType, String openAiType, String anthropicType) {
  static final ExpectedError UPSTREAM = new ExpectedError(502, "upstream_error", "upstream_error", "api_error");
  static final ExpectedError OVERLOADED = new ExpectedError(529, "overloaded", "overloaded_error", "overloaded_error");
  static final ExpectedError UNAVAILABLE = new ExpectedError(503, "unavailable", "service_unavailable", "api_error");

  String typeFor(StreamingClient client) {
    return client == StreamingClient.ANTHROPIC ? anthropicType : openAiType;
  }
}
