package io.tollgate.node.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * Chooses the console format {@code logback.xml} includes ({@code console-<format>.xml}) from
 * {@code TOLLGATE_LOG_FORMAT}: {@value #TEXT} (one human-readable line per event) for
 * {@code text}, {@code plain} or {@code human}, else {@value #JSON} (one JSON object per line). An
 * unknown value falls back to JSON with a logback warning, so a typo never silences the logs.
 */
public final class LogFormat extends PropertyDefinerBase {
  public static final String JSON = "json";
  public static final String TEXT = "text";

  private String format;

  /** The raw setting, usually {@code ${TOLLGATE_LOG_FORMAT:-json}}. */
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public String getPropertyValue() {
    String chosen = formatFor(format);
    if (chosen.equals(JSON) && format != null && !isJson(format)) {
      addWarn("TOLLGATE_LOG_FORMAT must be json or text, not '" + format + "'; logging JSON");
    }
    return chosen;
  }

  /** The format for a {@code TOLLGATE_LOG_FORMAT} value; JSON when it is absent or unknown. */
  public static String formatFor(String format) {
    if (format == null) {
      return JSON;
    }
    return switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "text", "plain", "human" -> TEXT;
      default -> JSON;
    };
  }

  private static boolean isJson(String format) {
    String f = format.trim().toLowerCase(Locale.ROOT);
    return f.isEmpty() || f.equals("json");
  }
}
