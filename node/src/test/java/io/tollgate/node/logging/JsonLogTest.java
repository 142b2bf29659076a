package io.tollgate.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The node's {@code logback.xml} as an operator sees it: JSON lines by default, a readable line
 * with {@code TOLLGATE_LOG_FORMAT=text}, the access log's fields, and no secrets in either.
 */
class JsonLogTest {
  private static final String SECRET = "tg_Q2hhbmdlTWVJbW1lZGlhdGVseVBsZWFzZTAx";

  @Test
  void a_json_line_carries_time_level_logger_thread_message_mdc_and_the_exception() throws IOException {
    ConfiguredLogs logs = ConfiguredLogs.of("json");

    logs.log(log -> {
      MDC.put("request_id", "req-42");
      MDC.put("tenant_id", "acme");
      try {
        log.warn("provider said \"no\"\nand then\tstopped", new IllegalStateException("boom \"quoted\"\nsecond line"));
      } finally {
        MDC.clear();
      }
    });

    List<String> lines = logs.lines();
    assertThat(lines).hasSize(1);
    JsonNode json = Json.MAPPER.readTree(lines.get(0));
    assertThat(json.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("io.tollgate.test.Logs");
    assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(json.get("message").asText()).isEqualTo("provider said \"no\"\nand then\tstopped");
    assertThat(json.get("request_id").asText()).isEqualTo("req-42");
    assertThat(json.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(json.get("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: boom \"quoted\"\nsecond line")
        .contains(JsonLogTest.class.getName());
  }

  @Test
  void the_access_log_line_has_every_call_field_as_json() throws IOException {
    ConfiguredLogs logs = ConfiguredLogs.of("json");

    logs.encode(callLogEvents(() -> CallLog.finished("req-7", "acme", "key_abc", "openai", "demo-openai",
        "fake-openai", 200, null, 1200, 340, 4500, 812, true)));

    JsonNode json = Json.MAPPER.readTree(logs.lines().get(0));
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger").asText()).isEqualTo(CallLog.class.getName());
    assertThat(json.get("request_id").asText()).isEqualTo("req-7");
    assertThat(json.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(json.get("key_id").asText()).isEqualTo("key_abc");
    assertThat(json.get("client_api").asText()).isEqualTo("openai");
    assertThat(json.get("model").asText()).isEqualTo("demo-openai");
    assertThat(json.get("provider").asText()).isEqualTo("fake-openai");
    assertThat(json.get("status").asInt()).isEqualTo(200);
    assertThat(json.get("outcome").asText()).isEqualTo("success");
    assertThat(json.get("error_type").isNull()).isTrue();
    assertThat(json.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(json.get("output_tokens").asLong()).isEqualTo(340);
    assertThat(json.get("cost_micros").asLong()).isEqualTo(4500);
    assertThat(json.get("latency_ms").asLong()).isEqualTo(812);
    assertThat(json.get("streamed").asBoolean()).isTrue();
  }

  @Test
  void a_failed_call_is_logged_with_its_outcome_and_error_type() throws IOException {
    ConfiguredLogs logs = ConfiguredLogs.of("json");

    logs.encode(callLogEvents(() -> {
      CallLog.finished("req-8", "acme", "key_abc", "anthropic", "demo-anthropic", "fake-anthropic", 504,
          "upstream_timeout", 0, 0, 0, 3000, false);
      CallLog.finished("req-9", "acme", "key_abc", "openai", "demo-openai", "fake-openai", 499,
          "client_disconnected", 30, 12, 90, 2000, true);
    }));

    List<String> lines = logs.lines();
    assertThat(lines).hasSize(2);
    JsonNode timeout = Json.MAPPER.readTree(lines.get(0));
    assertThat(timeout.get("outcome").asText()).isEqualTo("error");
    assertThat(timeout.get("error_type").asText()).isEqualTo("upstream_timeout");
    assertThat(timeout.get("status").asInt()).isEqualTo(504);
    JsonNode disconnected = Json.MAPPER.readTree(lines.get(1));
    assertThat(disconnected.get("outcome").asText()).isEqualTo("disconnected");
    assertThat(disconnected.get("cost_micros").asLong()).isEqualTo(90);
  }

  @Test
  void a_key_secret_passed_as_the_key_id_is_never_written() throws IOException {
    List<ILoggingEvent> events = callLogEvents(() -> CallLog.finished("req-1", "acme", SECRET, "openai",
        "demo-openai", "fake-openai", 200, null, 1, 1, 1, 1, false));
    ConfiguredLogs json = ConfiguredLogs.of("json");
    ConfiguredLogs text = ConfiguredLogs.of("text");

    json.encode(events);
    text.encode(events);

    assertThat(json.output()).doesNotContain("tg_").contains("req-1");
    assertThat(Json.MAPPER.readTree(json.lines().get(0)).get("key_id").asText()).isEqualTo("[REDACTED]");
    assertThat(text.output()).doesNotContain("tg_").contains("key_id=[REDACTED]");
  }

  @Test
  void secrets_in_messages_mdc_and_exceptions_are_masked_in_both_formats() {
    for (String format : List.of("json", "text")) {
      ConfiguredLogs logs = ConfiguredLogs.of(format);

      logs.log(log -> {
        MDC.put("authorization", "Bearer " + SECRET);
        try {
          log.error("refused key " + SECRET + " and sk-proj-abcdefghijklmnop1234",
              new IllegalArgumentException("bad key " + SECRET));
        } finally {
          MDC.clear();
        }
      });

      assertThat(logs.output()).as(format).doesNotContain(SECRET).doesNotContain("sk-proj-").contains("[REDACTED]")
          .contains("IllegalArgumentException");
    }
  }

  @Test
  void every_secret_form_the_gateway_knows_is_masked_in_both_formats() {
    String azureKey = "3f9a8c7d6e5b4a39281706f5e4d3c2b1";
    SecretMask.registerConfigured(com.typesafe.config.ConfigFactory.parseString(
        "tollgate.admin-token = \"opr-admin-Zq81vLr02\"\n"
            + "tollgate.providers.azure { schema = openai, api-key = \"" + azureKey + "\" }"));
    List<String> secrets = List.of(
        "sk-ant-api03-abcdefghijklmnopqrstuvwx", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "AKIAIOSFODNN7EXAMPLE",
        "tga_YWNtZS1jb3Jw.tat_0123456789abcdef.abcdefghijKLMNOPqrstuv12345678.QRSTuvwx12345678", "opr-admin-Zq81vLr02", azureKey, "eyJhbGciOiJIUzI1NiJ9.payload.sig");
    for (String format : List.of("json", "text")) {
      ConfiguredLogs logs = ConfiguredLogs.of(format);

      logs.log(log -> log.warn("upstream refused: gemini key " + secrets.get(1) + ", anthropic " + secrets.get(0)
          + ", aws " + secrets.get(2) + ", admin token " + secrets.get(4) + ", api-key: " + secrets.get(5)
          + ", tenant admin " + secrets.get(3) + ", Authorization: Bearer " + secrets.get(6)));

      for (String secret : secrets) {
        assertThat(logs.output()).as(format + " " + secret).doesNotContain(secret);
      }
      assertThat(logs.output()).as(format + ": every part of a signed tenant admin token")
          .doesNotContain("tat_0123456789abcdef").doesNotContain("abcdefghijKLMNOPqrstuv12345678")
          .doesNotContain("QRSTuvwx12345678");
      assertThat(logs.output()).as(format).contains("upstream refused: gemini key [REDACTED]");
    }
  }

  @Test
  void text_format_is_one_readable_line_with_the_call_fields() {
    ConfiguredLogs logs = ConfiguredLogs.of("text");

    logs.encode(callLogEvents(() -> CallLog.finished("req-3", "acme", "key_abc", "openai", "demo-openai",
        "fake-openai", 200, null, 10, 5, 7, 40, false)));

    assertThat(logs.lines()).singleElement().satisfies(line -> assertThat(line)
        .doesNotStartWith("{")
        .contains("INFO", "request_id=req-3", "tenant_id=acme", "model=demo-openai", "status=200",
            "outcome=success", "cost_micros=7", "latency_ms=40"));
  }

  @Test
  void the_access_log_keeps_the_callers_mdc_and_writes_each_field_once() throws IOException {
    ConfiguredLogs logs = ConfiguredLogs.of("json");
    MDC.put("request_id", "outer");
    List<ILoggingEvent> events;
    try {
      events = callLogEvents(() -> CallLog.finished("req-5", "acme", "key_abc", "openai", "demo-openai",
          "fake-openai", 200, null, 1, 1, 1, 1, false));
      assertThat(MDC.get("request_id")).isEqualTo("outer");
      assertThat(MDC.get("tenant_id")).isNull();
    } finally {
      MDC.clear();
    }

    logs.encode(events);

    String line = logs.lines().get(0);
    assertThat(Json.MAPPER.readTree(line).get("request_id").asText()).isEqualTo("req-5");
    assertThat(line.split("\"request_id\"", -1)).hasSize(2);
  }

  @Test
  void an_unknown_format_still_logs_json() throws IOException {
    ConfiguredLogs logs = ConfiguredLogs.of("yaml");

    logs.log(log -> log.info("still here"));

    assertThat(Json.MAPPER.readTree(logs.lines().get(0)).get("message").asText()).isEqualTo("still here");
  }

  @Test
  void the_format_setting_picks_the_appender() {
    assertThat(LogFormat.formatFor(null)).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.formatFor("json")).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.formatFor(" Text ")).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.formatFor("plain")).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.formatFor("xml")).isEqualTo(LogFormat.JSON);
  }

  /** The events {@link CallLog} logs while {@code calls} runs, captured from the JVM's logback. */
  private static List<ILoggingEvent> callLogEvents(Runnable calls) {
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = global.getLogger(CallLog.class);
    Level before = logger.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(global);
    captured.start();
    logger.setLevel(Level.INFO);
    logger.addAppender(captured);
    try {
      calls.run();
    } finally {
      logger.detachAppender(captured);
      logger.setLevel(before);
    }
    return List.copyOf(captured.list);
  }

  /** A fresh logback context configured from the node's {@code logback.xml}, its console captured. */
  private static final class ConfiguredLogs {
    private final LoggerContext context;
    private final OutputStreamAppender<ILoggingEvent> console;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @SuppressWarnings("unchecked")
    private ConfiguredLogs(String format) {
      context = new LoggerContext();
      // the JVM's MDC, so MDC.put in a test reaches this context's events
      context.setMDCAdapter(MDC.getMDCAdapter());
      context.putProperty("TOLLGATE_LOG_FORMAT", format);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      try {
        configurator.doConfigure(JsonLogTest.class.getResource("/logback.xml"));
      } catch (JoranException e) {
        throw new IllegalStateException(e);
      }
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      List<ch.qos.logback.core.Appender<ILoggingEvent>> attached = new java.util.ArrayList<>();
      root.iteratorForAppenders().forEachRemaining(attached::add);
      assertThat(attached).as("appenders on the root logger").hasSize(1);
      console = (OutputStreamAppender<ILoggingEvent>) attached.get(0);
      console.setOutputStream(out);
    }

    static ConfiguredLogs of(String format) {
      return new ConfiguredLogs(format);
    }

    void log(Consumer<org.slf4j.Logger> body) {
      body.accept(context.getLogger("io.tollgate.test.Logs"));
    }

    void encode(List<ILoggingEvent> events) {
      events.forEach(e -> out.writeBytes(console.getEncoder().encode(e)));
    }

    String output() {
      return out.toString(StandardCharsets.UTF_8);
    }

    /** The output's lines, without the empty one after the last newline. */
    List<String> lines() {
      return output().lines().toList();
    }
  }
}
