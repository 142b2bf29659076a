package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every kind of secret and personal data the stored bodies are redacted of, in every position a
 * client or a model puts it: start, middle and end of a text, after a tab, at the start of a line,
 * and split across the chunks of a streamed answer (OpenAI and Anthropic frames). Each stored body
 * must still be valid JSON (every frame of a stream).
 */
class RedactionCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Sample(String kind, String value) {}

  private record Position(String name, UnaryOperator<String> place) {}

  private static final List<Sample> CORPUS = List.of(
      // provider keys
      new Sample("api_key", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456"),
      new Sample("api_key", "sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH"),
      new Sample("api_key", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AA"),
      new Sample("api_key", "AIza" + "SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"),
      new Sample("api_key", "gsk_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6"),
      new Sample("api_key", "xai-" + "Zx81vLr02Qm9Tt7Yy6Uu5Ii4Oo3Pp2Aa1Ss0Dd9Ff8Gg7Hh6Jj5Kk4"),
      new Sample("api_key", "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567"),
      new Sample("api_key", "tg_" + "Q2hhbmdlTWVJbW1lZGlhdGVseVBsZWFzZTAx"),
      new Sample("api_key", "tga_" + "Q2hhbmdlTWVJbW1lZGlhdGVseVBsZWFzZTAx"),
      // AWS
      new Sample("api_key", "AKIAIOSFODNN7EXAMPLE"),
      new Sample("api_key", "ASIAY34FZKBOKMUTVV7A"),
      // cards (Luhn-valid): Visa, Visa grouped, Mastercard, Amex, Discover
      new Sample("credit_card", "4111111111111111"),
      new Sample("credit_card", "4111 1111 1111 1111"),
      new Sample("credit_card", "5500-0000-0000-0004"),
      new Sample("credit_card", "378282246310005"),
      new Sample("credit_card", "6011111111111117"),
      // IBANs with a valid checksum
      new Sample("iban", "DE89370400440532013000"),
      new Sample("iban", "GB82 WEST 1234 5698 7654 32"),
      new Sample("iban", "FR1420041010050500013M02606"),
      // phones in international formats
      new Sample("phone", "+49 30 1234 5678"),
      new Sample("phone", "+1 (415) 555-2671"),
      new Sample("phone", "+44 20 7183 8750"),
      new Sample("phone", "+33 1 23 45 67 89"),
      new Sample("phone", "+81 3-1234-5678"),
      new Sample("phone", "+442071838750"),
      new Sample("phone", "0044 20 7183 8750"),
      // e-mails
      new Sample("email", "jane.doe+billing@example.co.uk"),
      new Sample("email", "bob@corp.example"));

  /** Secrets that only their name gives away: the whole value after the name is redacted. */
  private static final List<String> NAMED = List.of(
      "api-key: 0123456789abcdef0123456789abcdef",
      "MISTRAL_API_KEY=Zx81vLr02Qm9Tt7Yy6Uu5Ii4Oo3Pp2A",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnLWFiYzEyMw");

  private static final List<Position> POSITIONS = List.of(
      new Position("start", v -> v + " is what I have"),
      new Position("middle", v -> "I have " + v + " here"),
      new Position("end", v -> "I have " + v),
      new Position("after a tab", v -> "name\t" + v + "\tnext"),
      new Position("line start", v -> "first line\n" + v + "\nthird line"),
      new Position("alone", v -> v));

  @Test
  void every_sample_in_every_position_of_a_request_is_redacted_and_the_body_stays_valid_json() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (Sample sample : CORPUS) {
      for (Position position : POSITIONS) {
        String text = position.place().apply(sample.value());
        String stored = PiiRedactor.redact(request(text));

        String what = sample.value() + " at " + position.name();
        JsonNode parsed = parse(stored, what, soft);
        if (parsed != null) {
          String content = parsed.at("/messages/0/content").asText();
          soft.assertThat(content).as(what).doesNotContain(sample.value()).contains("[REDACTED:" + sample.kind() + "]");
          soft.assertThat(content).as(what + ": the text around it is kept")
              .isEqualTo(position.place().apply("[REDACTED:" + sample.kind() + "]"));
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void secrets_given_away_by_their_name_are_redacted_in_every_position() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (String named : NAMED) {
      String secret = named.substring(named.lastIndexOf(' ') + 1).replaceFirst("^[A-Z_]+=", "");
      for (Position position : POSITIONS) {
        String stored = PiiRedactor.redact(request(position.place().apply(named)));
        JsonNode parsed = parse(stored, named + " at " + position.name(), soft);
        if (parsed != null) {
          soft.assertThat(parsed.at("/messages/0/content").asText()).as(named + " at " + position.name())
              .doesNotContain(secret).contains("[REDACTED:api_key]");
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void every_sample_split_across_the_chunks_of_a_stream_is_redacted_in_openai_and_anthropic_frames() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (Sample sample : CORPUS) {
      String v = sample.value();
      for (int cut : new int[] {1, v.length() / 2, v.length() - 1}) {
        List<String> chunks = List.of("Sure, it is ", v.substring(0, cut), v.substring(cut), " as asked.");
        for (boolean anthropic : new boolean[] {false, true}) {
          String what = v + " cut at " + cut + (anthropic ? " (Anthropic)" : " (OpenAI)");
          String stored = PiiRedactor.redact(anthropic ? anthropicStream(chunks) : openAiStream(chunks));

          StringBuilder seen = new StringBuilder();
          for (String line : stored.split("\n")) {
            if (line.startsWith("data: {")) {
              JsonNode frame = parse(line.substring(6), what, soft);
              if (frame != null) {
                seen.append(anthropic ? frame.at("/delta/text").asText() : frame.at("/choices/0/delta/content").asText());
              }
            }
          }
          soft.assertThat(seen.toString()).as(what)
              .isEqualTo("Sure, it is [REDACTED:" + sample.kind() + "] as asked.");
          String longerPiece = cut >= v.length() - cut ? v.substring(0, cut) : v.substring(cut);
          soft.assertThat(stored).as(what).doesNotContain(longerPiece);
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void an_email_at_a_line_start_leaves_the_stored_body_valid_json() throws Exception {
    String stored = PiiRedactor.redact(request("Contact:\nbob@corp.example\n\tjane.doe@example.com"));

    JsonNode parsed = JSON.readTree(stored);
    assertThat(parsed.at("/messages/0/content").asText()).isEqualTo("Contact:\n[REDACTED:email]\n\t[REDACTED:email]");
  }

  @Test
  void numbers_that_fail_their_checksum_are_kept() throws Exception {
    String text = "order 4111 1111 1111 1112, account DE00370400440532013000, build 2025030412000000";

    assertThat(JSON.readTree(PiiRedactor.redact(request(text))).at("/messages/0/content").asText()).isEqualTo(text);
  }

  @Test
  void a_card_number_sent_as_a_json_number_becomes_a_redacted_string() throws Exception {
    String stored = PiiRedactor.redact("{\"card\":4111111111111111,\"n\":1}");

    JsonNode parsed = JSON.readTree(stored);
    assertThat(parsed.get("card").asText()).isEqualTo("[REDACTED:credit_card]");
    assertThat(parsed.get("n").asInt()).isEqualTo(1);
  }

  @Test
  void the_value_of_a_secret_named_field_is_redacted_whatever_it_looks_like() throws Exception {
    String stored = PiiRedactor.redact("{\"tools\":[{\"auth\":{\"password\":\"hunter2\",\"client_secret\":\"x\"}}],\"max_tokens\":5}");

    JsonNode parsed = JSON.readTree(stored);
    assertThat(parsed.at("/tools/0/auth/password").asText()).isEqualTo("[REDACTED:api_key]");
    assertThat(parsed.at("/tools/0/auth/client_secret").asText()).isEqualTo("[REDACTED:api_key]");
    assertThat(parsed.get("max_tokens").asInt()).isEqualTo(5);
  }

  private static String request(String content) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
    body.putArray("messages").addObject().put("role", "user").put("content", content);
    return JSON.writeValueAsString(body);
  }

  private static String openAiStream(List<String> chunks) throws Exception {
    StringBuilder sse = new StringBuilder();
    for (String chunk : chunks) {
      ObjectNode frame = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk");
      frame.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", chunk);
      sse.append("data: ").append(JSON.writeValueAsString(frame)).append("\n\n");
    }
    return sse.append("data: [DONE]\n\n").toString();
  }

  private static String anthropicStream(List<String> chunks) throws Exception {
    StringBuilder sse = new StringBuilder("event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
    for (String chunk : chunks) {
      ObjectNode frame = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
      frame.putObject("delta").put("type", "text_delta").put("text", chunk);
      sse.append("event: content_block_delta\ndata: ").append(JSON.writeValueAsString(frame)).append("\n\n");
    }
    return sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").toString();
  }

  private static JsonNode parse(String json, String what, SoftAssertions soft) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      soft.fail(what + ": stored body is not valid JSON: " + json);
      return null;
    }
  }
}
