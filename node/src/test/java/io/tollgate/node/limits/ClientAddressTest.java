package io.tollgate.node.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  @Test
  void an_ipv4_peer_is_its_own_source() throws Exception {
    assertThat(ClientAddress.source(InetAddress.getByName("203.0.113.7"))).isEqualTo("203.0.113.7");
  }

  @Test
  void ipv6_peers_of_one_64_network_are_one_source() throws Exception {
    String a = ClientAddress.source(InetAddress.getByName("2001:db8:1:2::1"));
    String b = ClientAddress.source(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe"));
    String other = ClientAddress.source(InetAddress.getByName("2001:db8:1:3::1"));
    assertThat(a).isEqualTo(b).endsWith("/64");
    assertThat(other).isNotEqualTo(a);
  }
}
