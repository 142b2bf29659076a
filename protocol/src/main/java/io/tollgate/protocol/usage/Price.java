package io.tollgate.protocol.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A model's price in USD per one million tokens. One USD per 1M tokens is one micro-dollar per
 * token, so costs are exact in micro-dollars before the single rounding step.
 *
 * @param cacheWritePerMillion price of tokens written to a prompt cache; defaults to the input
 *     price when the catalogue gives none
 */
public record Price(
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion,
    BigDecimal cacheWritePerMillion) {

  public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  /** Cost of the usage in micro-dollars, rounded half-up once. */
  public long costMicros(Usage u) {
    BigDecimal micros =
        inputPerMillion.multiply(BigDecimal.valueOf(u.inputTokens()))
            .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(u.cacheReadTokens())))
            .add(cacheWritePerMillion.multiply(BigDecimal.valueOf(u.cacheWriteTokens())))
            .add(outputPerMillion.multiply(BigDecimal.valueOf(u.outputTokens())));
    return micros.setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Micro-dollars as a decimal USD string, e.g. 1234 → "0.001234". */
  public static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
