package io.tollgate.persistence.cassandra;

/** Cassandra could not be prepared, started or reached; the message carries the end of its log when there is one. */
public final class CassandraStartException extends RuntimeException {

  public CassandraStartException(String message) {
    super(message);
  }

  public CassandraStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
