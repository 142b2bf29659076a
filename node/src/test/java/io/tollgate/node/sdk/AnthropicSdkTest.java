package io.tollgate.node.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.RecordedRequest;
import io.tollgate.node.testing.CatalogPrice;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.SdkClients;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Anthropic Java SDK as a client of the gateway, against each backend schema: whole
 * and streamed messages, tool use round trips, both ways of sending the key, and the audit.
 */
class AnthropicSdkTest extends FreshTenantTest {
  static final String REPLY = OpenAiSdkTest.REPLY;
  static final String TOOL = OpenAiSdkTest.TOOL;
  static final Map<String, Object> TOOL_INPUT = Map.of("city", "fake");

  AnthropicClient client;

  @BeforeEach
  void openClient() {
    client = SdkClients.anthropic(gateway, tenant.key().secret());
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static Stream<Arguments> chatModels() {
    return Stream.of(
        Arguments.of("demo-anthropic", "fake-anthropic"),
        Arguments.of("demo-openai", "fake-openai"),
        Arguments.of("demo-gemini", "fake-gemini"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void create_returns_text_that_ends_the_turn_and_is_audited(String model, String provider) {
    MessageCreateParams params = MessageCreateParams.builder()
        .model(model).maxTokens(256).addUserMessage("Tell me about toll roads").build();

    try (HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params)) {
      Message message = raw.parse();

      assertThat(message.model().asString()).isEqualTo(model);
      assertThat(message.content()).hasSize(1);
      assertThat(message.content().get(0).isText()).isTrue();
      assertThat(message.content().get(0).asText().text()).isEqualTo(REPLY);
      assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
      Usage usage = message.usage();
      assertThat(usage.inputTokens()).isPositive();
      assertThat(usage.outputTokens()).isPositive();

      String requestId = raw.requestId().orElseThrow();
      BilledCall billed = new BilledCall("anthropic", model, provider, usage.inputTokens(), 0, usage.outputTokens(), false);
      long cost = billed.assertRecordedBy(gateway.awaitAudit(tenant.id(), requestId));
      assertThat(CatalogPrice.usdToMicros(raw.headers().values("x-tollgate-cost-usd").get(0))).isEqualTo(cost);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void streaming_emits_the_message_events_in_order_and_is_audited(String model, String provider) {
    MessageCreateParams params = MessageCreateParams.builder()
        .model(model).maxTokens(256).addUserMessage("Tell me about toll roads").build();

    List<RawMessageStreamEvent> events;
    String requestId;
    try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw = client.messages().withRawResponse().createStreaming(params);
         StreamResponse<RawMessageStreamEvent> stream = raw.parse()) {
      requestId = raw.requestId().orElseThrow();
      events = stream.stream().toList();
    }

    assertThat(collapsedKinds(events)).containsExactly(
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    Message start = events.get(0).asMessageStart().message();
    assertThat(start.model().asString()).isEqualTo(model);
    assertThat(start.usage().inputTokens()).isPositive();
    assertThat(events).filteredOn(RawMessageStreamEvent::isContentBlockStart)
        .allSatisfy(e -> assertThat(e.asContentBlockStart().contentBlock().isText()).isTrue());
    StringBuilder text = new StringBuilder();
    events.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
        .forEach(e -> text.append(e.asContentBlockDelta().delta().asText().text()));
    assertThat(text.toString()).isEqualTo(REPLY);
    RawMessageDeltaEvent delta = events.stream().filter(RawMessageStreamEvent::isMessageDelta).findFirst().orElseThrow()
        .asMessageDelta();
    assertThat(delta.delta().stopReason()).hasValue(StopReason.END_TURN);
    long outputTokens = delta.usage().outputTokens();
    assertThat(outputTokens).isPositive();
    // OpenAI and Gemini report prompt usage only at the end: message_start carries Tollgate's own
    // count and message_delta the provider's, which is what the client ends up with and is billed.
    long inputTokens = delta.usage().inputTokens().orElse(start.usage().inputTokens());
    assertThat(inputTokens).isPositive();

    new BilledCall("anthropic", model, provider, inputTokens, 0, outputTokens, true)
        .assertRecordedBy(gateway.awaitAudit(tenant.id(), requestId));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void tool_use_round_trip_ends_in_a_text_answer(String model, String provider) {
    String marker = "marker-" + UUID.randomUUID();
    String question = "What is the weather in Paris? " + marker + " [[fake:tool]]";
    Message first = client.messages().create(MessageCreateParams.builder()
        .model(model).maxTokens(256).addTool(weatherTool()).addUserMessage(question).build());

    assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
    ToolUseBlock toolUse = first.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
        .findFirst().orElseThrow();
    assertThat(toolUse.id()).isNotBlank();
    assertThat(toolUse.name()).isEqualTo(TOOL);
    assertThat(toolUse._input().convert(Map.class)).isEqualTo(TOOL_INPUT);

    Message answer = client.messages().create(MessageCreateParams.builder()
        .model(model).maxTokens(256).addTool(weatherTool())
        .addUserMessage(question)
        .addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("Sunny, 21 C").build()),
            ContentBlockParam.ofText("Please answer in words now.")))
        .build());

    assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answer.content()).hasSize(1);
    assertThat(answer.content().get(0).asText().text()).isEqualTo(REPLY);
    RecordedRequest upstream = gateway.fake.requests().stream()
        .filter(r -> r.body().contains(marker)).reduce((earlier, later) -> later).orElseThrow();
    assertThat(upstream.body()).contains("Sunny, 21 C");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void streamed_tool_use_accumulates_its_input_json_deltas(String model, String provider) {
    MessageCreateParams params = MessageCreateParams.builder()
        .model(model).maxTokens(256).addTool(weatherTool()).addUserMessage("What is the weather in Paris? [[fake:tool]]").build();

    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> partialJson = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        event.contentBlockDelta().flatMap(d -> d.delta().inputJson()).ifPresent(j -> partialJson.add(j.partialJson()));
      });
    }

    // Gemini sends a function call whole, so its arguments arrive as a single fragment.
    int fragments = provider.equals("fake-gemini") ? 1 : 2;
    assertThat(partialJson).as("input_json_delta fragments").hasSizeGreaterThanOrEqualTo(fragments);
    assertThat(Calls.json(String.join("", partialJson))).isEqualTo(Calls.json("{\"city\":\"fake\"}"));
    Message message = accumulator.message();
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    ToolUseBlock toolUse = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
        .findFirst().orElseThrow();
    assertThat(toolUse.id()).isNotBlank();
    assertThat(toolUse.name()).isEqualTo(TOOL);
    assertThat(toolUse._input().convert(Map.class)).isEqualTo(TOOL_INPUT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void forced_tool_choice_answers_with_tool_use(String model, String provider) {
    Message message = client.messages().create(MessageCreateParams.builder()
        .model(model).maxTokens(256).addTool(weatherTool()).toolToolChoice(TOOL)
        .addUserMessage("What is the weather in Paris?").build());

    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(message.content()).filteredOn(ContentBlock::isToolUse)
        .singleElement().satisfies(b -> assertThat(b.asToolUse().name()).isEqualTo(TOOL));
  }

  @Test
  void accepts_the_key_as_x_api_key_and_as_a_bearer_token() {
    MessageCreateParams params = MessageCreateParams.builder()
        .model("demo-anthropic").maxTokens(64).addUserMessage("Hello").build();
    assertThat(client.messages().create(params).content().get(0).asText().text()).isEqualTo(REPLY);

    AnthropicClient bearerClient = SdkClients.anthropicWithBearer(gateway, tenant.key().secret());
    try {
      assertThat(bearerClient.messages().create(params).content().get(0).asText().text()).isEqualTo(REPLY);
    } finally {
      bearerClient.close();
    }

    HttpResponse<String> raw = gateway.send(Calls.post(gateway.url() + "/v1/messages",
            "{\"model\":\"demo-anthropic\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")
        .header("authorization", "Bearer " + tenant.key().secret())
        .header("anthropic-version", "2023-06-01")
        .build());
    assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
    JsonNode body = Calls.json(raw.body());
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.at("/content/0/text").asText()).isEqualTo(REPLY);
    String requestId = raw.headers().firstValue("request-id").orElseThrow();
    assertThat(gateway.awaitAudit(tenant.id(), requestId).get("key_id").asText()).isEqualTo(tenant.key().keyId());
  }

  static Tool weatherTool() {
    return Tool.builder()
        .name(TOOL)
        .description("Current weather in a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .build())
            .addRequired("city")
            .build())
        .build();
  }

  /** Event kinds in arrival order, with runs of the same kind folded into one. */
  static List<String> collapsedKinds(List<RawMessageStreamEvent> events) {
    List<String> out = new ArrayList<>();
    for (RawMessageStreamEvent e : events) {
      String kind = kind(e);
      if (out.isEmpty() || !out.get(out.size() - 1).equals(kind)) {
        out.add(kind);
      }
    }
    return out;
  }

  static String kind(RawMessageStreamEvent e) {
    if (e.isMessageStart()) {
      return "message_start";
    } else if (e.isContentBlockStart()) {
      return "content_block_start";
    } else if (e.isContentBlockDelta()) {
      return "content_block_delta";
    } else if (e.isContentBlockStop()) {
      return "content_block_stop";
    } else if (e.isMessageDelta()) {
      return "message_delta";
    } else if (e.isMessageStop()) {
      return "message_stop";
    }
    return "unknown";
  }
}
