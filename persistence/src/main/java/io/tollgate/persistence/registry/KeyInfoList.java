package io.tollgate.persistence.registry;

import io.tollgate.persistence.CborSerializable;
import java.util.ArrayList;
import java.util.Collection;

/**
 * The {@code List<KeyInfo>} the registry replies with. A plain JDK list has no serializer
 * binding, so a reply crossing nodes would fail; this one is bound to Jackson CBOR and Jackson
 * reads its element type from the superclass.
 */
final class KeyInfoList extends ArrayList<KeyInfo> implements CborSerializable {
  private static final long serialVersionUID = 1L;

  KeyInfoList() {}

  KeyInfoList(Collection<KeyInfo> keys) {
    super(keys);
  }
}
