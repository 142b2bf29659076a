package io.tollgate.node.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.registry.ApiKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kept hash is always the key's own SHA-256, also after the map filled and was emptied. */
class PresentedKeyHashesTest {
  @Test
  void every_key_gets_its_own_hash_before_and_after_the_map_fills() {
    PresentedKeyHashes hashes = new PresentedKeyHashes(8);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add(ApiKeys.newSecret());
    }
    for (int round = 0; round < 3; round++) {
      for (String key : keys) {
        assertThat(hashes.hashOf(key)).as(key).isEqualTo(ApiKeys.sha256Hex(key));
      }
    }
  }

  @Test
  void with_no_room_every_call_is_hashed_correctly() {
    PresentedKeyHashes hashes = new PresentedKeyHashes(0);
    String key = ApiKeys.newSecret();

    assertThat(hashes.hashOf(key)).isEqualTo(ApiKeys.sha256Hex(key));
    assertThat(hashes.hashOf(key)).isEqualTo(ApiKeys.sha256Hex(key));
  }
}
