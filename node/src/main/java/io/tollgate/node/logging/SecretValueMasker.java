package io.tollgate.node.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** {@link SecretMask} for every string value of a JSON log line (message, MDC, arguments, stack trace). */
public final class SecretValueMasker implements ValueMasker {
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    String masked = SecretMask.mask(text);
    return masked.equals(text) ? null : masked;
  }
}
