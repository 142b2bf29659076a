package io.tollgate.persistence.tenantadmin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tenant admin tokens are checked by their HMAC tag alone: no lookup decides a forged one. */
class AdminTokenSignerTest {
  private final AdminTokenSigner cluster = new AdminTokenSigner("cluster-secret-1".getBytes(StandardCharsets.UTF_8));

  @Test
  void a_token_the_cluster_issued_verifies_and_names_its_tenant_and_id() {
    String token = cluster.issue("acme", "tat_0123456789abcdef");

    assertThat(token).startsWith("tga_");
    assertThat(cluster.verify(token)).contains(new AdminTokenSigner.Claims("acme", "tat_0123456789abcdef"));
  }

  @Test
  void a_token_with_a_changed_tenant_id_random_part_or_tag_is_refused() {
    String token = cluster.issue("acme", "tat_0123456789abcdef");
    String[] parts = token.substring(4).split("\\.");
    String otherTenant = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("globex".getBytes(StandardCharsets.UTF_8));

    assertThat(cluster.verify("tga_" + otherTenant + "." + parts[1] + "." + parts[2] + "." + parts[3])).isEmpty();
    assertThat(cluster.verify("tga_" + parts[0] + ".tat_fedcba9876543210." + parts[2] + "." + parts[3])).isEmpty();
    assertThat(cluster.verify("tga_" + parts[0] + "." + parts[1] + "." + flip(parts[2]) + "." + parts[3])).isEmpty();
    assertThat(cluster.verify("tga_" + parts[0] + "." + parts[1] + "." + parts[2] + "." + flip(parts[3]))).isEmpty();
    assertThat(cluster.verify(token + ".x")).isEmpty();
  }

  @Test
  void a_token_signed_under_another_key_or_of_no_known_shape_is_refused() {
    AdminTokenSigner otherCluster = new AdminTokenSigner("cluster-secret-2".getBytes(StandardCharsets.UTF_8));

    assertThat(cluster.verify(otherCluster.issue("acme", "tat_0123456789abcdef"))).isEmpty();
    assertThat(cluster.verify("tga_made-up-token")).isEmpty();
    assertThat(cluster.verify("tga_a.b.c.d")).isEmpty();
    assertThat(cluster.verify("tga_" + "A".repeat(2000))).isEmpty();
    assertThat(cluster.verify(null)).isEmpty();
  }

  @Test
  void nodes_with_the_same_configured_secret_or_admin_token_verify_each_others_tokens() {
    var withSecret = ConfigFactory.parseString("tollgate.tenant-admin.token-secret = \"s3cret-of-the-cluster\"");
    var withAdminToken = ConfigFactory.parseString("tollgate.admin-token = \"opr-admin-Zq81vLr02\"");
    var otherAdminToken = ConfigFactory.parseString("tollgate.admin-token = \"opr-admin-Zq81vLr03\"");

    String bySecret = AdminTokenSigner.from(withSecret).issue("acme", "tat_0123456789abcdef");
    String byAdminToken = AdminTokenSigner.from(withAdminToken).issue("acme", "tat_0123456789abcdef");

    assertThat(AdminTokenSigner.from(withSecret).verify(bySecret)).isPresent();
    assertThat(AdminTokenSigner.from(withAdminToken).verify(byAdminToken)).isPresent();
    assertThat(AdminTokenSigner.from(otherAdminToken).verify(byAdminToken)).isEmpty();
    assertThat(AdminTokenSigner.from(withAdminToken).verify(bySecret)).isEmpty();
  }

  @Test
  void only_tokens_of_the_old_unsigned_shape_count_as_unsigned() {
    assertThat(AdminTokenSigner.unsignedShape("tga_" + "a".repeat(43))).isTrue();
    assertThat(AdminTokenSigner.unsignedShape(cluster.issue("acme", "tat_0123456789abcdef"))).isFalse();
    assertThat(AdminTokenSigner.unsignedShape("tga_short")).isFalse();
  }

  private static String flip(String base64) {
    char c = base64.charAt(0);
    return (c == 'A' ? 'B' : 'A') + base64.substring(1);
  }
}
