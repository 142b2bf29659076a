package io.tollgate.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cheap anchor check in front of the masking regex never lets a secret through: wherever the
 * regex would mask something, the check says the text may hold a shape.
 */
class SecretMaskTest {
  private static final List<String> FRAGMENTS = List.of(
      "tg_", "tga_", "tg", "sk-", "sk", "AIza", "AKIA", "ASIA", "Bearer ", "bEaReR\t", "bearer", "api", "API", "Api",
      "-", "_", "key", "KEY", "x-goog-api-key", "X-API-KEY", "aws_secret_access_key", "AWS_SECRET", "secret",
      "Password", "passwor", "token", "TOKEN", "tokens", "\"", "'", " ", "  ", "\t", "\n", "\u000B", ":", "=",
      "abcdefgh12345678", "ZZZZ0000zzzz9999aaaa", "A1B2C3D4E5F6G7H8", "s", "t", "a", "b", "p", "k", "é", "ſ",
      "request_id=", "key_id=", "input_tokens=");

  @Test
  void the_check_lets_every_text_the_regex_would_mask_through() {
    Random random = new Random(20261207);
    int skipped = 0;
    for (int i = 0; i < 300_000; i++) {
      StringBuilder text = new StringBuilder();
      int parts = 1 + random.nextInt(8);
      for (int p = 0; p < parts; p++) {
        text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
      }
      String s = text.toString();
      if (!SecretMask.mayHoldShape(s)) {
        skipped++;
        assertThat(SecretMask.maskByRegexOnly(s)).as("regex on %s", s).isEqualTo(s);
      }
    }
    assertThat(skipped).as("texts the check spares the regex").isGreaterThan(10_000);
  }

  @Test
  void an_access_log_line_skips_the_regex_and_secrets_do_not() {
    String accessLine = "call request_id=r-2f6c1d tenant_id=acme key_id=k_8a1f client_api=openai model=demo-openai"
        + " provider=fake-openai status=200 outcome=success error_type=null input_tokens=12 output_tokens=16"
        + " cost_micros=2 latency_ms=1 streamed=false";

    assertThat(SecretMask.mayHoldShape(accessLine)).isFalse();
    assertThat(SecretMask.mayHoldShape("2026-12-07T23:00:00.000Z")).isFalse();
    for (String secret : List.of("key tg_abcdefgh1234", "Authorization: bearer abc.def.ghi", "x-api-key: 12345678",
        "aws_secret_access_key = abcdefgh12", "TOKEN='abcdefgh12'", "sk-ant-api03-abcdefgh")) {
      assertThat(SecretMask.mask(secret)).as(secret).contains(SecretMask.MASK);
    }
  }
}
