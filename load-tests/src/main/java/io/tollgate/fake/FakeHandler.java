package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * The fake provider's request handler: routes by path, checks each provider's credentials, reads
 * the request, resolves the behaviour and answers in the provider's wire format.
 */
final class FakeHandler {
  private static final long STRICT_TIMEOUT_MILLIS = 10_000;
  private static final StatusCode OVERLOADED_529 =
      StatusCodes.custom(529, "Site is overloaded", "The server is overloaded.", false, true);
  private static final ContentType SSE = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);
  private static final byte[] MODELS = modelsBody();

  private final ActorSystem system;
  private final Materializer materializer;
  private final String apiKey;
  private final Behaviours behaviours;
  private final RequestLog log;
  private final HttpHeader label;
  private final Runnable onCancel;
  private final AtomicLong seq = new AtomicLong();
  private final OpenAiChatWire openAi = new OpenAiChatWire();
  private final AnthropicChatWire anthropic = new AnthropicChatWire();
  private final GeminiChatWire gemini = new GeminiChatWire();

  /** {@code name}, when not null, is echoed in an {@code x-fake-provider} header on every answer. */
  FakeHandler(ActorSystem system, String apiKey, Behaviours behaviours, RequestLog log, Runnable onCancel,
      String name) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.apiKey = apiKey;
    this.behaviours = behaviours;
    this.log = log;
    this.onCancel = onCancel;
    this.label = name == null ? null : RawHeader.create("x-fake-provider", name);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    CompletionStage<HttpResponse> answer = request.entity().toStrict(STRICT_TIMEOUT_MILLIS, materializer)
        .thenCompose(strict -> route(request, strict.getData().toArray()));
    return label == null ? answer : answer.thenApply(r -> r.addHeader(label));
  }

  private CompletionStage<HttpResponse> route(HttpRequest req, byte[] bytes) {
    String path = req.getUri().path();
    // parsed once here: the model is recorded with the request and picks the behaviour
    ObjectNode body = Json.readObject(bytes);
    record(req, bytes, UpstreamModel.of(path, body));
    boolean post = req.method().value().equals("POST");
    boolean get = req.method().value().equals("GET");
    if (path.equals("/_fake/health")) {
      return done(HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, "ok"));
    }
    switch (path) {
      case "/v1/chat/completions":
        return post ? chat(Dialect.OPENAI, openAi, req, body, null, false, true) : notAllowed(Dialect.OPENAI);
      case "/v1/embeddings":
        return post ? embeddings(Dialect.OPENAI, req, body, null, false) : notAllowed(Dialect.OPENAI);
      case "/v1/models":
        return get ? models(req) : notAllowed(Dialect.OPENAI);
      case "/v1/messages":
        return post ? chat(Dialect.ANTHROPIC, anthropic, req, body, null, false, true) : notAllowed(Dialect.ANTHROPIC);
      default:
        break;
    }
    if (path.startsWith("/openai/deployments/")) {
      return azure(req, body, path.substring("/openai/deployments/".length()), post);
    }
    if ((path.startsWith("/v1beta/models/") || path.startsWith("/v1/models/")) && path.indexOf(':') > 0) {
      return geminiRoute(req, body, path, post);
    }
    Dialect d = path.startsWith("/v1beta/") ? Dialect.GEMINI : Dialect.OPENAI;
    return done(error(d, ErrorCase.NOT_FOUND, null, List.of(), 0));
  }

  private CompletionStage<HttpResponse> azure(HttpRequest req, ObjectNode body, String rest, boolean post) {
    int slash = rest.indexOf('/');
    String deployment = slash < 0 ? rest : rest.substring(0, slash);
    String op = slash < 0 ? "" : rest.substring(slash + 1);
    if (deployment.isEmpty() || !(op.equals("chat/completions") || op.equals("embeddings"))) {
      return done(error(Dialect.AZURE, ErrorCase.NOT_FOUND, null, List.of(), 0));
    }
    if (!post) {
      return notAllowed(Dialect.AZURE);
    }
    if (req.getUri().query().get("api-version").isEmpty()) {
      return done(error(Dialect.AZURE, ErrorCase.BAD_REQUEST,
          "The api-version query parameter (?api-version=) is required for all requests.", List.of(), 0));
    }
    return op.equals("embeddings")
        ? embeddings(Dialect.AZURE, req, body, deployment, false)
        : chat(Dialect.AZURE, openAi, req, body, deployment, false, true);
  }

  private CompletionStage<HttpResponse> geminiRoute(HttpRequest req, ObjectNode body, String path, boolean post) {
    String rest = path.substring(path.indexOf("/models/") + "/models/".length());
    int colon = rest.lastIndexOf(':');
    String model = rest.substring(0, colon);
    String action = rest.substring(colon + 1);
    if (!post) {
      return notAllowed(Dialect.GEMINI);
    }
    boolean sse = req.getUri().query().get("alt").map("sse"::equals).orElse(false);
    return switch (action) {
      case "generateContent" -> chat(Dialect.GEMINI, gemini, req, body, model, false, true);
      case "streamGenerateContent" -> chat(Dialect.GEMINI, gemini, req, body, model, true, sse);
      case "batchEmbedContents" -> embeddings(Dialect.GEMINI, req, body, model, false);
      case "embedContent" -> embeddings(Dialect.GEMINI, req, body, model, true);
      default -> done(error(Dialect.GEMINI, ErrorCase.NOT_FOUND, null, List.of(), 0));
    };
  }

  private CompletionStage<HttpResponse> chat(Dialect d, ChatWire wire, HttpRequest req, ObjectNode json,
      String pathModel, boolean pathStreams, boolean sse) {
    Optional<HttpResponse> rejected = reject(d, req, json);
    if (rejected.isPresent()) {
      return done(rejected.get());
    }
    ChatCall call = wire.read(json, pathModel, pathStreams);
    RequestPlan plan = Directives.apply(call.lastUserText(), behaviourOf(req, json), UpstreamModel.of(req.getUri().path(), json));
    long n = seq.incrementAndGet();
    ChatAnswer answer = ChatAnswer.plan(call, plan, n, System.currentTimeMillis() / 1000);
    Behaviour b = plan.behaviour();
    List<HttpHeader> headers = ResponseHeaders.of(d, n);
    Optional<CompletionStage<HttpResponse>> failed = statusFailure(d, b, headers);
    if (failed.isPresent()) {
      return failed.get();
    }
    if (call.stream() && sse) {
      return after(b.latencyMillis(), () -> HttpResponse.create()
          .withEntity(HttpEntities.createChunked(SSE,
              TimedFrames.stream(wire.stream(answer), wire, b, system, onCancel)))
          .addHeaders(headers)
          .addHeader(ResponseHeaders.NO_CACHE));
    }
    byte[] result = call.stream() ? jsonArray(wire.stream(answer)) : wire.complete(answer);
    return after(generationMillis(b), () -> whole(result, wire, b, headers));
  }

  private CompletionStage<HttpResponse> embeddings(Dialect d, HttpRequest req, ObjectNode json, String pathModel,
      boolean single) {
    Optional<HttpResponse> rejected = reject(d, req, json);
    if (rejected.isPresent()) {
      return done(rejected.get());
    }
    EmbeddingCall call = d == Dialect.GEMINI
        ? EmbeddingWire.readGemini(json, pathModel, single)
        : EmbeddingWire.readOpenAi(json, pathModel);
    if (call.inputs().isEmpty()) {
      return done(error(d, ErrorCase.BAD_REQUEST, "The request has no input to embed.", List.of(), 0));
    }
    Behaviour b = Directives.apply(call.lastInput(), behaviourOf(req, json), UpstreamModel.of(req.getUri().path(), json)).behaviour();
    List<HttpHeader> headers = ResponseHeaders.of(d, seq.incrementAndGet());
    Optional<CompletionStage<HttpResponse>> failed = statusFailure(d, b, headers);
    if (failed.isPresent()) {
      return failed.get();
    }
    byte[] result = d == Dialect.GEMINI ? EmbeddingWire.geminiBody(call) : EmbeddingWire.openAiBody(call);
    ChatWire errorWire = d == Dialect.GEMINI ? gemini : openAi;
    return after(b.latencyMillis(), () -> whole(result, errorWire, b, headers));
  }

  /** The behaviour set for the request's upstream model, else the global one (directives not applied yet). */
  private Behaviour behaviourOf(HttpRequest req, JsonNode json) {
    return behaviours.forModel(UpstreamModel.of(req.getUri().path(), json));
  }

  private CompletionStage<HttpResponse> models(HttpRequest req) {
    Optional<HttpResponse> refused = refuse(Dialect.OPENAI, req);
    return done(refused.orElseGet(() ->
        HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, MODELS)));
  }

  /** What {@link #refuse} says, else a 400 when the body ({@code json}) is not a JSON object. */
  private Optional<HttpResponse> reject(Dialect d, HttpRequest req, JsonNode json) {
    Optional<HttpResponse> refused = refuse(d, req);
    if (refused.isPresent() || json != null) {
      return refused;
    }
    return Optional.of(error(d, ErrorCase.BAD_REQUEST, "The request body is not a JSON object.", List.of(), 0));
  }

  /** 401 for a wrong or missing credential, 400 for a missing {@code anthropic-version}. */
  private Optional<HttpResponse> refuse(Dialect d, HttpRequest req) {
    if (!authorized(d, req)) {
      return Optional.of(error(d, ErrorCase.UNAUTHORIZED, null, List.of(), 0));
    }
    if (d == Dialect.ANTHROPIC && req.getHeader("anthropic-version").isEmpty()) {
      return Optional.of(error(d, ErrorCase.BAD_REQUEST, "anthropic-version: header is required", List.of(), 0));
    }
    return Optional.empty();
  }

  private boolean authorized(Dialect d, HttpRequest req) {
    return switch (d) {
      case OPENAI -> apiKey.equals(bearer(req));
      case AZURE -> apiKey.equals(header(req, "api-key"));
      case ANTHROPIC -> apiKey.equals(header(req, "x-api-key")) || apiKey.equals(bearer(req));
      case GEMINI -> apiKey.equals(header(req, "x-goog-api-key"))
          || apiKey.equals(req.getUri().query().get("key").orElse(null));
    };
  }

  private static String header(HttpRequest req, String name) {
    return req.getHeader(name).map(HttpHeader::value).orElse(null);
  }

  private static String bearer(HttpRequest req) {
    String v = header(req, "authorization");
    return v != null && v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : null;
  }

  private Optional<CompletionStage<HttpResponse>> statusFailure(Dialect d, Behaviour b, List<HttpHeader> headers) {
    return switch (b.failure()) {
      case HANG -> Optional.of(new CompletableFuture<>());
      case STATUS_429 -> Optional.of(after(b.latencyMillis(),
          () -> error(d, ErrorCase.RATE_LIMITED, null, ResponseHeaders.exhausted(headers), b.retryAfterSeconds())));
      case STATUS_429_REQUEST -> Optional.of(after(b.latencyMillis(),
          () -> error(d, ErrorCase.RATE_LIMITED, "Request too large for the tokens per min limit (fake provider).",
              headers, b.retryAfterSeconds())));
      case STATUS_500 -> Optional.of(after(b.latencyMillis(),
          () -> error(d, ErrorCase.SERVER_ERROR, null, headers, 0)));
      case STATUS_529 -> Optional.of(after(b.latencyMillis(),
          () -> error(d, ErrorCase.OVERLOADED, null, headers, 0)));
      default -> Optional.empty();
    };
  }

  /** A non-streamed answer, or its failure variant. */
  private HttpResponse whole(byte[] result, ChatWire wire, Behaviour b, List<HttpHeader> headers) {
    HttpResponse ok = HttpResponse.create().addHeaders(headers);
    return switch (b.failure()) {
      case CUT_AFTER_N -> ok.withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
          TimedFrames.cutBody(result, system)));
      case MALFORMED_CHUNK -> ok.withEntity(ContentTypes.APPLICATION_JSON,
          java.util.Arrays.copyOf(result, result.length / 2));
      case IN_BAND_ERROR -> ok.withEntity(ContentTypes.APPLICATION_JSON, wire.inBandErrorBody());
      default -> ok.withEntity(ContentTypes.APPLICATION_JSON, result);
    };
  }

  private static HttpResponse error(Dialect d, ErrorCase c, String message, List<HttpHeader> headers,
      int retryAfterSeconds) {
    ProviderError e = ErrorShapes.of(d, c, message);
    HttpResponse r = HttpResponse.create()
        .withStatus(e.status() == 529 ? OVERLOADED_529 : StatusCodes.get(e.status()))
        .withEntity(ContentTypes.APPLICATION_JSON, e.body())
        .addHeaders(headers);
    if (c == ErrorCase.RATE_LIMITED) {
      r = r.addHeader(RawHeader.create("retry-after", Integer.toString(retryAfterSeconds)));
    }
    return r;
  }

  private static CompletionStage<HttpResponse> notAllowed(Dialect d) {
    return done(error(d, ErrorCase.METHOD_NOT_ALLOWED, null, List.of(), 0));
  }

  /** Time a non-streamed answer takes: latency, first token, then every further chunk. */
  private static long generationMillis(Behaviour b) {
    return b.latencyMillis() + b.ttftMillis() + (long) (b.chunks() - 1) * b.chunkDelayMillis();
  }

  private CompletionStage<HttpResponse> after(long millis, Supplier<HttpResponse> response) {
    if (millis <= 0) {
      return done(response.get());
    }
    return Patterns.after(Duration.ofMillis(millis), system,
        () -> CompletableFuture.completedFuture(response.get()));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  /** Gemini streamGenerateContent without {@code alt=sse}: one JSON array of the chunks. */
  private static byte[] jsonArray(StreamScript script) {
    StringBuilder sb = new StringBuilder("[");
    for (ByteString frame : script.body()) {
      if (sb.length() > 1) {
        sb.append(",\r\n");
      }
      sb.append(frame.utf8String().substring("data: ".length()).strip());
    }
    return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private void record(HttpRequest req, byte[] body, String model) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpHeader h : req.getHeaders()) {
      headers.computeIfAbsent(h.lowercaseName(), k -> new ArrayList<>(1)).add(h.value());
    }
    ContentType ct = req.entity().getContentType();
    if (!headers.containsKey("content-type") && !ct.toString().equals("none/none")) {
      headers.put("content-type", List.of(ct.toString()));
    }
    String pathAndQuery = req.getUri().path() + req.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    log.add(new RecordedRequest(req.method().value(), pathAndQuery, headers,
        new String(body, StandardCharsets.UTF_8), model));
  }

  private static byte[] modelsBody() {
    ObjectNode root = FakeJson.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String id : List.of("gpt-4o-mini", "gpt-4o", "text-embedding-3-small")) {
      ObjectNode m = data.addObject();
      m.put("id", id);
      m.put("object", "model");
      m.put("created", 1_700_000_000L);
      m.put("owned_by", "fake-provider");
    }
    return Json.bytes(root);
  }
}
