package io.tollgate.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/** Picks loopback ports that are free now and were not handed out recently by this JVM. */
final class FreePort {

  private static final InetAddress LOOPBACK = loopback();
  private static final int REMEMBERED = 64;
  private static final Deque<Integer> recent = new ArrayDeque<>();

  private FreePort() {}

  static int pick() {
    return pickOtherThan(-1);
  }

  static synchronized int pickOtherThan(int other) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = bindEphemeral();
      if (port != other && !recent.contains(port)) {
        recent.addLast(port);
        if (recent.size() > REMEMBERED) {
          recent.removeFirst();
        }
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port found");
  }

  /** True when a server could listen on 127.0.0.1:port now (bound as servers do, with SO_REUSEADDR). */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(LOOPBACK, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int bindEphemeral() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(LOOPBACK, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }
}
