package io.tollgate.node.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * The address a call came from, as the per-source throttle counts it: the TCP peer
 * ({@code pekko.http.server.remote-address-attribute}), never a forwarding header a caller could
 * write itself. An IPv6 peer counts as its /64 network, which one host usually has whole.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The peer's IPv4 address or IPv6 /64; null when the server does not know it. */
  public static String of(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress)
        .map(ClientAddress::source)
        .orElse(null);
  }

  static String source(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] network = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(network, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/64";
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
