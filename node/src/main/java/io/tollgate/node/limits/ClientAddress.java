package io.tollgate.node.limits;

import java.net.InetAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * The address a call came from: the TCP peer ({@code pekko.http.server.remote-address-attribute}),
 * never a forwarding header a caller could write itself.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The peer's IP address; null when the server does not know it. */
  public static String of(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress)
        .map(InetAddress::getHostAddress)
        .orElse(null);
  }
}
