package io.tollgate.node.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.tollgate.fake.RecordedRequest;
import io.tollgate.node.testing.CatalogPrice;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.SdkClients;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK as a client of the gateway, against each backend schema: whole and
 * streamed answers, tool calls, embeddings, the model list, and what each call leaves in the audit.
 */
class OpenAiSdkTest extends FreshTenantTest {
  /** The fake provider's answer with its default of eight chunks. */
  static final String REPLY = "Fake reply 1 2 3 4 5 6";
  static final String TOOL = "get_weather";

  OpenAIClient client;

  @BeforeEach
  void openClient() {
    client = SdkClients.openAi(gateway, tenant.key().secret());
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static Stream<Arguments> chatModels() {
    return Stream.of(
        Arguments.of("demo-openai", "fake-openai"),
        Arguments.of("demo-anthropic", "fake-anthropic"),
        Arguments.of("demo-gemini", "fake-gemini"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void whole_completion_returns_the_reply_and_bills_the_usage_it_reports(String model, String provider) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Tell me about toll roads").build();

    try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params)) {
      ChatCompletion completion = raw.parse();

      assertThat(completion.model()).isEqualTo(model);
      assertThat(completion.choices()).hasSize(1);
      assertThat(completion.choices().get(0).message().content()).hasValue(REPLY);
      assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
      CompletionUsage usage = completion.usage().orElseThrow();
      assertThat(usage.promptTokens()).isPositive();
      assertThat(usage.completionTokens()).isPositive();
      assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

      BilledCall billed = new BilledCall("openai", model, provider, usage.promptTokens(), 0, usage.completionTokens(), false);
      long cost = billed.assertRecordedBy(gateway.awaitAudit(tenant.id(), header(raw.headers().values("x-request-id"))));
      assertThat(CatalogPrice.usdToMicros(header(raw.headers().values("x-tollgate-cost-usd")))).isEqualTo(cost);
      assertThat(header(raw.headers().values("x-tollgate-provider"))).isEqualTo(provider);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void stream_with_include_usage_yields_the_text_then_a_usage_chunk_matching_the_audit(String model, String provider) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Tell me about toll roads")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();

    List<ChatCompletionChunk> chunks;
    String requestId;
    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
             client.chat().completions().withRawResponse().createStreaming(params);
         StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
      requestId = header(raw.headers().values("x-request-id"));
      chunks = stream.stream().toList();
    }

    assertThat(text(chunks)).isEqualTo(REPLY);
    assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.get(0).id());
    assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly(model);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    assertThat(usage.promptTokens()).isPositive();
    assertThat(usage.completionTokens()).isPositive();

    new BilledCall("openai", model, provider, usage.promptTokens(), 0, usage.completionTokens(), true)
        .assertRecordedBy(gateway.awaitAudit(tenant.id(), requestId));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void stream_without_include_usage_sends_no_usage_but_bills_the_providers_count(String model, String provider) {
    String prompt = "Tell me about bridges and tunnels";
    CompletionUsage sameCallWhole = client.chat().completions()
        .create(ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build())
        .usage().orElseThrow();

    List<ChatCompletionChunk> chunks;
    String requestId;
    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client.chat().completions().withRawResponse()
             .createStreaming(ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build());
         StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
      requestId = header(raw.headers().values("x-request-id"));
      chunks = stream.stream().toList();
    }

    assertThat(text(chunks)).isEqualTo(REPLY);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.usage()).isEmpty();
      assertThat(c.choices()).isNotEmpty();
    });
    new BilledCall("openai", model, provider, sameCallWhole.promptTokens(), 0, sameCallWhole.completionTokens(), true)
        .assertRecordedBy(gateway.awaitAudit(tenant.id(), requestId));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void tool_call_comes_back_whole_with_id_name_and_json_arguments(String model, String provider) {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addFunctionTool(weatherTool()).addUserMessage("What is the weather in Paris? [[fake:tool]]").build());

    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo(TOOL);
    assertThat(Calls.json(call.function().arguments())).isEqualTo(Calls.json("{\"city\":\"fake\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void streamed_tool_call_fragments_accumulate_into_one_call(String model, String provider) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(model).addFunctionTool(weatherTool()).addUserMessage("What is the weather in Paris? [[fake:tool]]").build();

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk.Choice.Delta.ToolCall> fragments = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        accumulator.accumulate(chunk);
        chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(fragments::addAll));
      });
    }

    assertThat(fragments).as("tool call fragments").hasSizeGreaterThanOrEqualTo(2);
    assertThat(fragments).filteredOn(f -> f.id().isPresent()).hasSize(1);
    assertThat(fragments.get(0).id()).isPresent();
    assertThat(fragments).extracting(ChatCompletionChunk.Choice.Delta.ToolCall::index).containsOnly(0L);
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
    assertThat(call.id()).isEqualTo(fragments.get(0).id().orElseThrow());
    assertThat(call.function().name()).isEqualTo(TOOL);
    assertThat(Calls.json(call.function().arguments())).isEqualTo(Calls.json("{\"city\":\"fake\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void forced_named_tool_calls_it_and_finishes_with_stop(String model, String provider) {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addFunctionTool(weatherTool())
        .toolChoice(ChatCompletionNamedToolChoice.builder()
            .function(ChatCompletionNamedToolChoice.Function.builder().name(TOOL).build()).build())
        .addUserMessage("What is the weather in Paris?").build());

    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
    List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).asFunction().function().name()).isEqualTo(TOOL);
  }

  @Test
  void embeddings_come_back_as_floats_and_as_base64_of_the_same_floats() {
    String input = "toll roads and bridges";
    CreateEmbeddingResponse floats = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("demo-embed").input(input).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    assertThat(floats.model()).isEqualTo("demo-embed");
    assertThat(floats.data()).hasSize(1);
    List<Float> vector = floats.data().get(0).embedding();
    assertThat(vector).isNotEmpty().anySatisfy(v -> assertThat(v).isNotZero());

    HttpResponse<String> raw = gateway.send(Calls.post(gateway.url() + "/v1/embeddings",
            "{\"model\":\"demo-embed\",\"input\":\"" + input + "\",\"encoding_format\":\"base64\"}")
        .header("authorization", "Bearer " + tenant.key().secret()).build());
    assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
    JsonNode encoded = Calls.json(raw.body()).at("/data/0/embedding");
    assertThat(encoded.isTextual()).as(raw.body()).isTrue();
    assertThat(littleEndianFloats(encoded.asText())).containsExactlyElementsOf(vector);

    CreateEmbeddingResponse sdkDefault = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("demo-embed").input(input).build());
    assertThat(sdkDefault.data().get(0).embedding()).containsExactlyElementsOf(vector);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo-openai", "demo-anthropic"})
  void cached_prompt_tokens_are_audited_and_priced_at_the_cached_rate(String model) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model)
        .addSystemMessage("You are a careful assistant who answers questions about road tolls in Europe.")
        .addUserMessage("How much does it cost to drive from Paris to Lyon by motorway? [[fake:cached=10]]")
        .build();

    try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params)) {
      CompletionUsage usage = raw.parse().usage().orElseThrow();
      long cached = usage.promptTokensDetails().flatMap(CompletionUsage.PromptTokensDetails::cachedTokens).orElse(0L);
      assertThat(cached).isEqualTo(10);
      assertThat(usage.promptTokens()).isGreaterThan(cached);

      JsonNode audit = gateway.awaitAudit(tenant.id(), header(raw.headers().values("x-request-id")));
      BilledCall billed = new BilledCall("openai", model, audit.get("provider").asText(),
          usage.promptTokens(), cached, usage.completionTokens(), false);
      long cost = billed.assertRecordedBy(audit);
      long allAtInputRate = CatalogPrice.of(model).costMicros(usage.promptTokens(), 0, 0, usage.completionTokens());
      assertThat(cost).isLessThan(allAtInputRate);
      assertThat(CatalogPrice.usdToMicros(header(raw.headers().values("x-tollgate-cost-usd")))).isEqualTo(cost);
      assertThat(header(raw.headers().values("x-tollgate-cached-tokens"))).isEqualTo("10");
    }
  }

  @Test
  void model_list_shows_only_the_models_the_key_may_use() {
    TestGateway.Key narrow = gateway.createKey(tenant.id(), List.of("demo-openai", "demo-gemini"));
    OpenAIClient narrowClient = SdkClients.openAi(gateway, narrow.secret());
    try {
      List<String> ids = narrowClient.models().list().data().stream().map(Model::id).toList();
      assertThat(ids).containsExactlyInAnyOrder("demo-openai", "demo-gemini");
    } finally {
      narrowClient.close();
    }
    List<String> all = client.models().list().data().stream().map(Model::id).toList();
    assertThat(all).contains("demo-openai", "demo-anthropic", "demo-gemini", "demo-embed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chatModels")
  void the_provider_gets_its_own_credentials_and_never_the_tollgate_key(String model, String provider) {
    String marker = "marker-" + UUID.randomUUID();
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addUserMessage("Hello " + marker).build());
    assertThat(completion.choices().get(0).message().content()).hasValue(REPLY);

    RecordedRequest upstream = gateway.fake.requests().stream()
        .filter(r -> r.body().contains(marker)).reduce((first, second) -> second).orElseThrow();
    switch (provider) {
      case "fake-openai" -> assertThat(upstream.header("authorization")).hasValue("Bearer fake-provider-key");
      case "fake-anthropic" -> {
        assertThat(upstream.header("x-api-key")).hasValue("fake-provider-key");
        assertThat(upstream.header("anthropic-version")).isPresent();
      }
      case "fake-gemini" -> assertThat(upstream.header("x-goog-api-key")).hasValue("fake-provider-key");
      default -> throw new IllegalArgumentException(provider);
    }
    String secret = tenant.key().secret();
    assertThat(upstream.headers().values()).allSatisfy(values -> assertThat(values).noneMatch(v -> v.contains(secret)));
    assertThat(upstream.pathAndQuery()).doesNotContain(secret);
    assertThat(upstream.body()).doesNotContain(secret);
  }

  static FunctionDefinition weatherTool() {
    return FunctionDefinition.builder()
        .name(TOOL)
        .description("Current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
  }

  static String text(List<ChatCompletionChunk> chunks) {
    StringBuilder out = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(out::append)));
    return out.toString();
  }

  static String header(List<String> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  static List<Float> littleEndianFloats(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    List<Float> out = new ArrayList<>();
    while (bytes.remaining() >= Float.BYTES) {
      out.add(bytes.getFloat());
    }
    assertThat(bytes.remaining()).isZero();
    return out;
  }
}
