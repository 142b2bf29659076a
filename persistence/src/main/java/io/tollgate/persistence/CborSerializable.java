package io.tollgate.persistence;

/** Marker for messages and events serialised with Jackson CBOR (bound in serialization.conf). */
public interface CborSerializable {}
