package io.tollgate.persistence.audit;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data and secrets in a text with {@code [REDACTED:<kind>]}: API-key-like
 * strings ({@code api_key}), e-mail addresses ({@code email}), IBAN-like strings ({@code iban}),
 * credit-card-like numbers ({@code credit_card}) and phone numbers ({@code phone}). Pure and
 * thread-safe; the replacement contains no quote or backslash, so a JSON text stays valid JSON.
 *
 * <p>It errs towards redacting: a card number is any 13–19 digit run (spaces or dashes allowed)
 * starting with 2–6 that passes the Luhn check, which keeps most timestamps and ids out; an IBAN is
 * any country code, two check digits and 11–30 letters or digits (groups of four allowed).
 */
public final class PiiRedactor {

  private record Rule(String kind, Pattern pattern, Predicate<String> accept) {}

  private static final Predicate<String> ANY = s -> true;

  private static final List<Rule> RULES = List.of(
      // Well-known key prefixes: OpenAI / Anthropic (sk-, sk-ant-), Tollgate (tg_, tga_), AWS, GitHub,
      // Slack, Google, Stripe-style live/test keys.
      new Rule("api_key", Pattern.compile(
          "(?<![A-Za-z0-9_-])(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|tga?_[A-Za-z0-9_-]{16,}"
              + "|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}"
              + "|AIza[0-9A-Za-z_-]{35}|(?:rk|pk|sk)_(?:live|test)_[A-Za-z0-9]{16,})"), ANY),
      // A bearer token in a header-like text.
      new Rule("api_key", Pattern.compile("(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{16,}"), ANY),
      // The value after a secret-sounding name: api_key=..., "password": "...", token: ...
      new Rule("api_key", Pattern.compile(
          "(?i)(?<=(?:api[_-]?key|secret|password|passwd|access[_-]?token|auth[_-]?token)"
              + "(?:\\\\?[\"'])?\\s{0,3}[:=]\\s{0,3}(?:\\\\?[\"'])?)[^\\s\"'\\\\,;}{]{6,}"), ANY),
      new Rule("email", Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), ANY),
      new Rule("iban", Pattern.compile(
          "(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"),
          PiiRedactor::ibanShaped),
      // Card networks start with 2-6; this also keeps millisecond timestamps (1...) out.
      new Rule("credit_card", Pattern.compile("(?<![0-9])[2-6](?:[ -]?[0-9]){12,18}(?![0-9])"),
          PiiRedactor::luhnValid),
      // International numbers: +country, then groups.
      new Rule("phone", Pattern.compile(
          "(?<![0-9A-Za-z+])\\+[0-9]{1,3}(?:[ .-]?(?:\\([0-9]{1,4}\\)|[0-9]{1,4})){2,6}(?![0-9])"),
          s -> digits(s).length() >= 8 && digits(s).length() <= 15),
      // North American numbers: (555) 123-4567, 555-123-4567, 555.123.4567.
      new Rule("phone", Pattern.compile(
          "(?<![0-9])(?:\\([0-9]{3}\\) ?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9])"), ANY),
      // National numbers with a trunk zero and one separator: 030 12345678, 0171-1234567.
      new Rule("phone", Pattern.compile("(?<![0-9])0[0-9]{2,4}[ /-][0-9]{4,8}(?![0-9])"), ANY));

  private PiiRedactor() {}

  /** The text with every match of every rule replaced; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Rule rule : RULES) {
      out = apply(rule, out);
    }
    return out;
  }

  private static String apply(Rule rule, String text) {
    Matcher m = rule.pattern().matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (!rule.accept().test(m.group())) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start()).append("[REDACTED:").append(rule.kind()).append(']');
      last = m.end();
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  private static boolean ibanShaped(String s) {
    int length = s.replace(" ", "").length();
    return length >= 15 && length <= 34;
  }

  static boolean luhnValid(String s) {
    String d = digits(s);
    if (d.length() < 13 || d.length() > 19) {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int i = d.length() - 1; i >= 0; i--) {
      int n = d.charAt(i) - '0';
      if (twice) {
        n *= 2;
        if (n > 9) {
          n -= 9;
        }
      }
      sum += n;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static String digits(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
