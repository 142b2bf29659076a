package io.tollgate.node.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A demo model's price as written in {@code tollgate/gateway.conf} (USD per one million tokens),
 * read independently of the node's catalogue so tests can check the node's cost arithmetic.
 */
public record CatalogPrice(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite) {
  private static final Config GATEWAY = ConfigFactory.parseResources("tollgate/gateway.conf").resolve();

  public static CatalogPrice of(String model) {
    Config price = GATEWAY.getConfig("tollgate.models.\"" + model + "\".price");
    BigDecimal input = new BigDecimal(price.getString("input"));
    return new CatalogPrice(
        input,
        new BigDecimal(price.getString("output")),
        price.hasPath("cached-input") ? new BigDecimal(price.getString("cached-input")) : input,
        price.hasPath("cache-write") ? new BigDecimal(price.getString("cache-write")) : input);
  }

  /**
   * Expected cost in micro-dollars (one USD per 1M tokens is one micro-dollar per token), rounded
   * half-up once.
   *
   * @param promptTokens every prompt token, cached and cache-written ones included
   */
  public long costMicros(long promptTokens, long cachedTokens, long cacheWriteTokens, long outputTokens) {
    long uncached = promptTokens - cachedTokens - cacheWriteTokens;
    return input.multiply(BigDecimal.valueOf(uncached))
        .add(cachedInput.multiply(BigDecimal.valueOf(cachedTokens)))
        .add(cacheWrite.multiply(BigDecimal.valueOf(cacheWriteTokens)))
        .add(output.multiply(BigDecimal.valueOf(outputTokens)))
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** What admission reserves: every prompt token at the dearer of input and cache write, all output used. */
  public long worstCaseMicros(long promptTokens, long outputTokens) {
    return input.max(cacheWrite).multiply(BigDecimal.valueOf(promptTokens))
        .add(output.multiply(BigDecimal.valueOf(outputTokens)))
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** A USD amount such as {@code "0.000008"} in micro-dollars. */
  public static long usdToMicros(String usd) {
    return new BigDecimal(usd).movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
  }
}
