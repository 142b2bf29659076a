package io.tollgate.micro;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.openai.OpenAiBackendCodec;
import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.translate.ClientResponse;
import io.tollgate.protocol.translate.Translators;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protocol work of one non-streaming chat call, piece by piece: parse the client's body,
 * decode it into the canonical request, translate it for the provider (OpenAI to Anthropic, and
 * OpenAI to OpenAI) and the provider's answer back, and encode the client's answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChatPathBenchmark {
  private ByteString requestBytes;
  private JsonNode body;
  private ChatRequest request;
  private ChatResponse response;
  private ProviderEndpoint anthropic;
  private ProviderEndpoint openai;

  @Setup
  public void setUp() {
    requestBytes = ByteString.fromArray(Samples.OPENAI_REQUEST);
    body = Json.readObject(requestBytes.toArray());
    request = OpenAiClientCodec.INSTANCE.decodeRequest(body);
    response = OpenAiBackendCodec.INSTANCE.decodeResponse(Samples.OPENAI_ANSWER);
    anthropic = Samples.endpoint(BackendSchema.ANTHROPIC);
    openai = Samples.endpoint(BackendSchema.OPENAI);
  }

  /** The body as the HTTP layer parses it (bytes to a Jackson tree). */
  @Benchmark
  public JsonNode parseBody() {
    return Json.readObject(requestBytes.toArray());
  }

  /** A parsed body into the canonical request (validation included). */
  @Benchmark
  public ChatRequest decodeRequest() {
    return OpenAiClientCodec.INSTANCE.decodeRequest(body);
  }

  /** OpenAI client, Anthropic provider: the request out. */
  @Benchmark
  public UpstreamRequest translateOpenAiToAnthropic() {
    return Translators.chat(ClientApi.OPENAI, BackendSchema.ANTHROPIC)
        .toUpstream(body, "claude-3-5-haiku-latest", anthropic);
  }

  /** OpenAI client, Anthropic provider: the request out and the whole answer back. */
  @Benchmark
  public ClientResponse roundTripOpenAiToAnthropic() {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.ANTHROPIC);
    t.toUpstream(body, "claude-3-5-haiku-latest", anthropic);
    return t.fromUpstream(200, Samples.ANTHROPIC_ANSWER);
  }

  /** OpenAI client, OpenAI provider (the same schema): the request out and the whole answer back. */
  @Benchmark
  public ClientResponse roundTripOpenAiToOpenAi() {
    ChatTranslator t = Translators.chat(ClientApi.OPENAI, BackendSchema.OPENAI);
    t.toUpstream(body, "gpt-4o-mini", openai);
    return t.fromUpstream(200, Samples.OPENAI_ANSWER);
  }

  /** The canonical answer as the OpenAI client's JSON. */
  @Benchmark
  public byte[] encodeResponse() {
    return OpenAiClientCodec.INSTANCE.encodeResponse(request, response);
  }
}
