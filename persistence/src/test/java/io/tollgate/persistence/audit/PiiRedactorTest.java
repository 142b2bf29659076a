package io.tollgate.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {

  @Test
  void redacts_every_kind_in_a_realistic_support_chat_request_and_keeps_it_valid_json() throws Exception {
    String request = """
        {"model":"gpt-4o-mini","max_tokens":512,"temperature":0.2,"messages":[
          {"role":"system","content":"You are the billing assistant of ACME GmbH. Today is 2025-03-04."},
          {"role":"user","content":"Hi, I'm Jane Doe (jane.doe+billing@example.co.uk, tel. +49 30 1234 5678). \
        Please refund card 4111 1111 1111 1111 to my account DE89 3704 0044 0532 0130 00. \
        My old key was sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456 and my US office is at (415) 555-0132."}]}
        """;

    String redacted = PiiRedactor.redact(request);

    assertThat(redacted)
        .contains("[REDACTED:email]", "[REDACTED:phone]", "[REDACTED:credit_card]", "[REDACTED:iban]", "[REDACTED:api_key]")
        .doesNotContain("jane.doe", "example.co.uk", "1234 5678", "4111", "DE89", "3704 0044", "sk-proj", "555-0132")
        .contains("\"max_tokens\":512", "Today is 2025-03-04", "Jane Doe", "ACME GmbH", "\"temperature\":0.2");
    JsonNode parsed = new ObjectMapper().readTree(redacted);
    assertThat(parsed.path("messages").get(1).path("content").asText())
        .startsWith("Hi, I'm Jane Doe ([REDACTED:email], tel. [REDACTED:phone]). Please refund card [REDACTED:credit_card] "
            + "to my account [REDACTED:iban]. My old key was [REDACTED:api_key] and my US office is at [REDACTED:phone].");
  }

  @Test
  void redacts_secrets_in_a_response_text_and_in_key_value_pairs() {
    String text = "Use Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123def456 and "
        + "api_key=\"Zx9-very-secret-value\" or the AWS key AKIAIOSFODNN7EXAMPLE, the Anthropic key "
        + "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345, the gateway key tg_live_0123456789abcdefABCDEF, "
        + "GitHub ghp_abcdefghijklmnopqrstuvwxyz0123456789 and password: hunter2hunter2.";

    String redacted = PiiRedactor.redact(text);

    assertThat(redacted)
        .doesNotContain("eyJhbGci", "Zx9-very-secret-value", "AKIAIOSFODNN7EXAMPLE", "sk-ant", "tg_live", "ghp_", "hunter2")
        .contains("Bearer [REDACTED:api_key]", "api_key=\"[REDACTED:api_key]\"", "password: [REDACTED:api_key]");
  }

  @Test
  void redacts_inside_json_encoded_tool_arguments() throws Exception {
    String response = "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"name\":\"send\","
        + "\"arguments\":\"{\\\"to\\\":\\\"bob@corp.example\\\",\\\"api_key\\\":\\\"s3cr3t-value-42\\\"}\"}}]}}]}";

    String redacted = PiiRedactor.redact(response);

    assertThat(redacted).doesNotContain("bob@corp.example", "s3cr3t-value-42");
    String arguments = new ObjectMapper().readTree(redacted)
        .at("/choices/0/message/tool_calls/0/function/arguments").asText();
    assertThat(new ObjectMapper().readTree(arguments).path("to").asText()).isEqualTo("[REDACTED:email]");
    assertThat(new ObjectMapper().readTree(arguments).path("api_key").asText()).isEqualTo("[REDACTED:api_key]");
  }

  @Test
  void leaves_ordinary_numbers_dates_ids_and_timestamps_alone() {
    String text = "{\"id\":\"chatcmpl-123\",\"created\":1741089600,\"created_ms\":1741089600123,"
        + "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":345},\"order\":\"#10023\","
        + "\"date\":\"2025-03-04T12:00:00Z\",\"version\":\"1.2.3\",\"ip\":\"10.0.0.12\",\"price\":\"19.99\","
        + "\"request\":\"3f2b9c1e-8a4d-4e6f-9b1a-2c3d4e5f6a7b\",\"answer\":\"The result is 42.\"}";

    assertThat(PiiRedactor.redact(text)).isEqualTo(text);
  }

  @Test
  void a_card_number_that_fails_the_luhn_check_is_kept_and_one_that_passes_is_redacted() {
    assertThat(PiiRedactor.redact("order 4111 1111 1111 1112 shipped")).isEqualTo("order 4111 1111 1111 1112 shipped");
    assertThat(PiiRedactor.redact("card 5500-0000-0000-0004 expires 12/27")).isEqualTo("card [REDACTED:credit_card] expires 12/27");
    assertThat(PiiRedactor.redact("amex 378282246310005.")).isEqualTo("amex [REDACTED:credit_card].");
  }

  @Test
  void redacts_ibans_with_and_without_spaces_and_phone_numbers_in_common_formats() {
    assertThat(PiiRedactor.redact("IBAN: GB82WEST12345698765432")).isEqualTo("IBAN: [REDACTED:iban]");
    assertThat(PiiRedactor.redact("to FR14 2004 1010 0505 0001 3M02 606 please"))
        .isEqualTo("to [REDACTED:iban] please");
    assertThat(PiiRedactor.redact("call 555-123-4567 or +1 (415) 555-2671 or 030 12345678 or +442071838750"))
        .isEqualTo("call [REDACTED:phone] or [REDACTED:phone] or [REDACTED:phone] or [REDACTED:phone]");
  }

  @Test
  void null_and_empty_texts_pass_through() {
    assertThat(PiiRedactor.redact(null)).isNull();
    assertThat(PiiRedactor.redact("")).isEmpty();
  }
}
