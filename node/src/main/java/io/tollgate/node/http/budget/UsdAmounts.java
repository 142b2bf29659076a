package io.tollgate.node.http.budget;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.GatewayException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD amounts on the admin API: read as decimal strings ({@code "100.00"}) or JSON numbers in
 * dollars, converted exactly to micro-dollars; written as decimal strings with at least two
 * decimals ({@code "100.00"}, {@code "0.000231"}).
 */
public final class UsdAmounts {
  private static final int MICRO_DIGITS = 6;

  private UsdAmounts() {}

  /**
   * The amount at {@code node} in micro-dollars.
   *
   * @throws GatewayException (400 naming {@code param}) when it is not a non-negative dollar
   *     amount with at most six decimals
   */
  public static long micros(JsonNode node, String param) {
    BigDecimal dollars = dollars(node, param);
    if (dollars.signum() < 0) {
      throw GatewayException.invalid(param, "'" + param + "' must not be negative.");
    }
    BigDecimal micros;
    try {
      micros = dollars.movePointRight(MICRO_DIGITS).stripTrailingZeros();
    } catch (ArithmeticException e) {
      throw GatewayException.invalid(param, "'" + param + "' is out of range.");
    }
    if (micros.scale() > 0) {
      throw GatewayException.invalid(param, "'" + param + "' has more than 6 decimals; amounts are exact to the micro-dollar.");
    }
    try {
      return micros.longValueExact();
    } catch (ArithmeticException e) {
      throw GatewayException.invalid(param, "'" + param + "' is out of range.");
    }
  }

  /** Micro-dollars as a decimal USD string with at least two decimals. */
  public static String usd(long micros) {
    BigDecimal dollars = BigDecimal.valueOf(micros, MICRO_DIGITS).stripTrailingZeros();
    return (dollars.scale() < 2 ? dollars.setScale(2, RoundingMode.UNNECESSARY) : dollars).toPlainString();
  }

  private static BigDecimal dollars(JsonNode node, String param) {
    if (node != null && (node.isTextual() || node.isNumber())) {
      // A JSON float arrives as a double: its shortest decimal form is what the client wrote.
      String text = node.isTextual() ? node.asText().trim()
          : node.isBigDecimal() ? node.decimalValue().toPlainString()
          : node.asText();
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw GatewayException.invalid(param, "'" + param + "' must be a USD amount, e.g. \"100.00\".");
  }
}
