package io.tollgate.persistence.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that find personal data and secrets in a plain text: API keys of every provider and
 * AWS keys ({@code api_key}), values after a credential name ({@code api_key}), e-mail addresses
 * ({@code email}), IBANs with a valid checksum ({@code iban}), card numbers that pass the Luhn check
 * ({@code credit_card}) and phone numbers ({@code phone}). Pure and thread-safe.
 *
 * <p>The rules run on a view of the text in which JSON escape sequences ({@code \n}, {@code \t},
 * {@code \"}, {@code \u00e9} ...) are blanked to spaces of the same length: a value right after an
 * escaped newline or tab (a line start inside JSON text nested in a string) is found, and a match
 * never swallows part of an escape, so a replacement cannot break the JSON around it.
 */
final class PiiRules {

  /** One finding: {@code [start, end)} of the text, and its kind. */
  record Match(int start, int end, String kind) {
    String replacement() {
      return "[REDACTED:" + kind + "]";
    }
  }

  /** A rule; when the pattern has a group named {@code v}, only that group is the finding. */
  private record Rule(String kind, Pattern pattern, Predicate<String> accept) {}

  private static final Predicate<String> ANY = s -> true;

  /** Field names whose values are secrets whatever they look like. */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(?:api[_-]?key|secret|passw(?:or)?d|passphrase|(?:^|[_-])token|access[_-]?key|private[_-]?key|credential"
          + "|authorization).*");

  private static final List<Rule> RULES = List.of(
      // Key shapes: OpenAI, Anthropic, OpenRouter (sk-...), Tollgate (tg_, tga_), AWS access key ids,
      // Google (AIza, ya29.), GitHub, Slack, Stripe, Groq, xAI, Hugging Face, Replicate, Perplexity.
      new Rule("api_key", Pattern.compile(
          "(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{16,}|tga?_[A-Za-z0-9_-]{16,}"
              + "|A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|ya29\\.[0-9A-Za-z_-]{20,}"
              + "|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|xox[abposr]-[A-Za-z0-9-]{10,}"
              + "|(?:rk|pk|sk)_(?:live|test)_[A-Za-z0-9]{16,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}"
              + "|hf_[A-Za-z0-9]{30,}|r8_[A-Za-z0-9]{20,}|pplx-[A-Za-z0-9]{20,})"), ANY),
      // A bearer token in a header-like text.
      new Rule("api_key", Pattern.compile("(?i)(?<=bearer[ \\t]{1,3})[A-Za-z0-9._~+/=-]{16,}"), ANY),
      // The value after a secret-sounding name: api_key=..., "password": "...", aws_secret_access_key = ...
      new Rule("api_key", Pattern.compile(
          "(?i)(?:api[_-]?key|secret(?:[_-]?access)?(?:[_-]?key)?|passw(?:or)?d|passphrase|access[_-]?token"
              + "|auth[_-]?token|refresh[_-]?token|access[_-]?key(?:[_-]?id)?|private[_-]?key|client[_-]?secret)"
              + "[\"']?[ \\t]{0,3}[:=][ \\t]{0,3}[\"']?(?<v>[^\\s\"'\\\\,;}{]{6,})"), ANY),
      new Rule("email", Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), ANY),
      new Rule("iban", Pattern.compile(
          "(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"),
          PiiRules::ibanValid),
      // Card networks start with 2-6; this also keeps millisecond timestamps (1...) out.
      new Rule("credit_card", Pattern.compile("(?<![0-9])[2-6](?:[ -]?[0-9]){12,18}(?![0-9])"),
          PiiRules::luhnValid),
      // International numbers: +country, then groups.
      new Rule("phone", Pattern.compile(
          "(?<![0-9A-Za-z+])\\+[0-9]{1,3}(?:[ .-]?(?:\\([0-9]{1,4}\\)|[0-9]{1,4})){2,6}(?![0-9])"),
          s -> digits(s).length() >= 8 && digits(s).length() <= 15),
      // 00 international prefix: 0044 20 7183 8750, 0049-30-12345678.
      new Rule("phone", Pattern.compile(
          "(?<![0-9])00[1-9][0-9]{0,2}(?:[ .-]?[0-9]{1,4}){2,6}(?![0-9])"),
          s -> digits(s).length() >= 10 && digits(s).length() <= 17),
      // North American numbers: (555) 123-4567, 555-123-4567, 555.123.4567.
      new Rule("phone", Pattern.compile(
          "(?<![0-9])(?:\\([0-9]{3}\\) ?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9])"), ANY),
      // National numbers with a trunk zero and one separator: 030 12345678, 0171-1234567.
      new Rule("phone", Pattern.compile("(?<![0-9])0[0-9]{2,4}[ /-][0-9]{4,8}(?![0-9])"), ANY));

  private PiiRules() {}

  /** Whether a JSON field of this name holds a secret (its whole value is redacted). */
  static boolean secretName(String fieldName) {
    return SECRET_NAME.matcher(fieldName).matches();
  }

  /** Every finding in {@code text}, in order, none overlapping (earlier rules win). */
  static List<Match> find(String text) {
    List<Match> found = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return found;
    }
    String view = blankEscapes(text);
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(view);
      boolean group = rule.pattern().pattern().contains("(?<v>");
      while (m.find()) {
        int start = group ? m.start("v") : m.start();
        int end = group ? m.end("v") : m.end();
        if (rule.accept().test(view.substring(start, end)) && !overlaps(found, start, end)) {
          found.add(new Match(start, end, rule.kind()));
        }
      }
    }
    found.sort(Comparator.comparingInt(Match::start));
    return found;
  }

  /** {@code text} with every finding replaced by {@code [REDACTED:<kind>]}. */
  static String apply(String text) {
    List<Match> found = find(text);
    if (found.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (Match m : found) {
      out.append(text, last, m.start()).append(m.replacement());
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  private static boolean overlaps(List<Match> found, int start, int end) {
    for (Match m : found) {
      if (start < m.end() && m.start() < end) {
        return true;
      }
    }
    return false;
  }

  /** The text with each JSON escape sequence replaced by as many spaces. */
  static String blankEscapes(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    char[] view = text.toCharArray();
    for (int i = 0; i < view.length - 1; i++) {
      if (view[i] != '\\') {
        continue;
      }
      char next = view[i + 1];
      int length = "\"\\/bfnrt".indexOf(next) >= 0 ? 2 : next == 'u' && hex4(view, i + 2) ? 6 : 0;
      for (int k = 0; k < length; k++) {
        view[i + k] = ' ';
      }
      i += Math.max(0, length - 1);
    }
    return new String(view);
  }

  private static boolean hex4(char[] s, int from) {
    if (from + 4 > s.length) {
      return false;
    }
    for (int i = from; i < from + 4; i++) {
      if (Character.digit(s[i], 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** ISO 13616: length 15-34 and the mod-97 check of the rearranged digits is 1. */
  static boolean ibanValid(String s) {
    String iban = s.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      int value = Character.digit(rearranged.charAt(i), 36);
      if (value < 0) {
        return false;
      }
      remainder = (value < 10 ? remainder * 10 + value : remainder * 100 + value) % 97;
    }
    return remainder == 1;
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
