package io.tollgate.fake;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** The headers each provider puts on every answer; constant ones are built once. */
final class ResponseHeaders {
  private static final List<HttpHeader> OPENAI = List.of(
      RawHeader.create("openai-processing-ms", "1"),
      RawHeader.create("x-ratelimit-limit-requests", "10000"),
      RawHeader.create("x-ratelimit-remaining-requests", "9999"),
      RawHeader.create("x-ratelimit-reset-requests", "6ms"),
      RawHeader.create("x-ratelimit-limit-tokens", "10000000"),
      RawHeader.create("x-ratelimit-remaining-tokens", "9999000"),
      RawHeader.create("x-ratelimit-reset-tokens", "6ms"));
  private static final List<HttpHeader> ANTHROPIC = List.of(
      RawHeader.create("anthropic-ratelimit-requests-limit", "4000"),
      RawHeader.create("anthropic-ratelimit-requests-remaining", "3999"),
      RawHeader.create("anthropic-ratelimit-tokens-limit", "400000"),
      RawHeader.create("anthropic-ratelimit-tokens-remaining", "399000"));
  static final HttpHeader NO_CACHE = RawHeader.create("cache-control", "no-cache");

  private ResponseHeaders() {}

  /** {@code headers} with every rate-limit "remaining" count at 0, as on an account-wide 429. */
  static List<HttpHeader> exhausted(List<HttpHeader> headers) {
    List<HttpHeader> out = new ArrayList<>(headers.size());
    for (HttpHeader h : headers) {
      String name = h.lowercaseName();
      boolean remaining = name.startsWith("x-ratelimit-remaining-")
          || (name.startsWith("anthropic-ratelimit-") && name.endsWith("-remaining"));
      out.add(remaining ? RawHeader.create(h.name(), "0") : h);
    }
    return out;
  }

  static List<HttpHeader> of(Dialect d, long seq) {
    List<HttpHeader> out = new ArrayList<>(10);
    String id = "req_fake" + seq;
    out.add(RawHeader.create("x-request-id", id));
    switch (d) {
      case OPENAI, AZURE -> out.addAll(OPENAI);
      case ANTHROPIC -> {
        out.add(RawHeader.create("request-id", id));
        out.addAll(ANTHROPIC);
      }
      case GEMINI -> { }
    }
    return out;
  }
}
