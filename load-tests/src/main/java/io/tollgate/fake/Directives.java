package io.tollgate.fake;

import io.tollgate.fake.Behaviour.Failure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code [[fake:key=value,key=value]]} directives from a message text and applies them on
 * top of a base behaviour. Unknown keys and unparsable numbers are ignored, so a typo falls back
 * to the default behaviour rather than failing the request.
 */
final class Directives {
  private static final int MAX_CHUNKS = 100_000;
  private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[fake:([^\\]]*)]]");

  private Directives() {}

  static RequestPlan apply(String text, Behaviour base) {
    return apply(text, base, null);
  }

  /**
   * As {@link #apply(String, Behaviour)}; a directive with {@code only=<upstream model>} applies only
   * to requests for that model ({@code upstreamModel}), so one prompt can break one deployment of a
   * group and leave the next one healthy.
   */
  static RequestPlan apply(String text, Behaviour base, String upstreamModel) {
    if (text == null || text.indexOf("[[fake:") < 0) {
      return new RequestPlan(base, false, null);
    }
    Behaviour b = base;
    boolean tool = false;
    String toolName = null;
    Matcher m = DIRECTIVE.matcher(text);
    while (m.find()) {
      if (!forModel(m.group(1), upstreamModel)) {
        continue;
      }
      for (String item : m.group(1).split(",")) {
        String trimmed = item.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
        String value = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
        if (key.equals("tool")) {
          tool = true;
          toolName = value.isEmpty() ? toolName : value;
        } else {
          b = applyOne(b, key, value);
        }
      }
    }
    return new RequestPlan(b, tool, toolName);
  }

  private static boolean forModel(String directive, String upstreamModel) {
    for (String item : directive.split(",")) {
      String trimmed = item.trim();
      if (trimmed.startsWith("only=")) {
        return trimmed.substring(5).trim().equals(upstreamModel);
      }
    }
    return true;
  }

  private static Behaviour applyOne(Behaviour b, String key, String value) {
    if (key.equals("hang")) {
      return b.withFailure(Failure.HANG);
    }
    if (key.equals("ignore_max_tokens")) {
      return b.withIgnoreMaxTokens(true);
    }
    if (key.equals("burst")) {
      return b.withBurst(true);
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      return b;
    }
    if (n < 0) {
      return b;
    }
    int i = (int) Math.min(n, Integer.MAX_VALUE);
    return switch (key) {
      case "fail" -> switch (i) {
        case 429 -> b.withFailure(Failure.STATUS_429);
        case 500 -> b.withFailure(Failure.STATUS_500);
        case 503, 529 -> b.withFailure(Failure.STATUS_529);
        default -> b;
      };
      case "retry-after" -> b.withRetryAfterSeconds(i);
      case "cut" -> b.withFailure(Failure.CUT_AFTER_N, i);
      case "malformed" -> b.withFailure(Failure.MALFORMED_CHUNK, Math.max(1, i));
      case "inband-error" -> b.withFailure(Failure.IN_BAND_ERROR, i);
      case "chunks" -> i >= 1 ? b.withChunks(Math.min(i, MAX_CHUNKS)) : b;
      case "delay" -> b.withChunkDelayMillis(n);
      case "ttft" -> b.withTtftMillis(n);
      case "latency" -> b.withLatencyMillis(n);
      case "cached" -> b.withCachedTokens(i);
      default -> b;
    };
  }
}
