package io.tollgate.node.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/** {@code %masked(...)} in a logback pattern: {@link SecretMask} over what the inner pattern wrote. */
public final class MaskingConverter extends CompositeConverter<ILoggingEvent> {
  @Override
  protected String transform(ILoggingEvent event, String in) {
    return SecretMask.mask(in);
  }
}
