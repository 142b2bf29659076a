package io.tollgate.node.audit;

/** How a stream the client abandoned is recorded: nginx's 499 "client closed request". */
public final class ClientDisconnect {
  public static final int STATUS = 499;
  public static final String TYPE = "client_disconnected";

  private ClientDisconnect() {}
}
