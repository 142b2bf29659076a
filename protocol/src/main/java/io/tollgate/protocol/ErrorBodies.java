package io.tollgate.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders an error in a client API's own JSON shape (wire-notes: "Error body"). */
public final class ErrorBodies {
  private ErrorBodies() {}

  public static ObjectNode render(ClientApi api, ErrorKind kind, String message, String param, String code) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode error = f.objectNode();
    if (api == ClientApi.ANTHROPIC) {
      error.put("type", kind.typeFor(api));
      error.put("message", message);
      ObjectNode root = f.objectNode();
      root.put("type", "error");
      root.set("error", error);
      return root;
    }
    error.put("message", message);
    error.put("type", kind.typeFor(api));
    error.put("param", param);
    error.put("code", code);
    ObjectNode root = f.objectNode();
    root.set("error", error);
    return root;
  }

  public static ObjectNode render(ClientApi api, GatewayException e) {
    return render(api, e.kind(), e.getMessage(), e.param(), e.code());
  }
}
