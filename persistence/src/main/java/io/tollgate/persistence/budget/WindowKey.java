package io.tollgate.persistence.budget;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.tollgate.persistence.CborSerializable;
import java.io.IOException;

/**
 * One window of one limit series: the ledger and leases count per window. As a map key it is
 * written as {@code KIND|PERIOD|start|scope} (scope last, so it may contain any character).
 */
@JsonSerialize(keyUsing = WindowKey.AsMapKey.class)
@JsonDeserialize(keyUsing = WindowKey.FromMapKey.class)
public record WindowKey(String scope, LimitKind kind, Period period, long windowStartEpochMillis)
    implements CborSerializable {

  /** The window of {@code limit}'s series starting at {@code startEpochMillis}. */
  public static WindowKey of(Limit limit, long startEpochMillis) {
    return new WindowKey(limit.scope(), limit.kind(), limit.period(), startEpochMillis);
  }

  /** Whether this window belongs to the series of {@code limit}. */
  public boolean sameSeries(Limit limit) {
    return scope.equals(limit.scope()) && kind == limit.kind() && period == limit.period();
  }

  /** Whether both windows belong to the same series (scope, kind, period). */
  public boolean sameSeries(WindowKey other) {
    return scope.equals(other.scope) && kind == other.kind && period == other.period;
  }

  String asMapKey() {
    return kind.name() + '|' + period.name() + '|' + windowStartEpochMillis + '|' + scope;
  }

  static WindowKey fromMapKey(String key) {
    String[] parts = key.split("\\|", 4);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a window key: " + key);
    }
    return new WindowKey(parts[3], LimitKind.valueOf(parts[0]), Period.valueOf(parts[1]), Long.parseLong(parts[2]));
  }

  /** Writes a {@link WindowKey} map key. */
  public static final class AsMapKey extends JsonSerializer<WindowKey> {
    @Override
    public void serialize(WindowKey value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeFieldName(value.asMapKey());
    }
  }

  /** Reads a {@link WindowKey} map key. */
  public static final class FromMapKey extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) {
      return fromMapKey(key);
    }
  }
}
