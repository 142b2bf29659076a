package io.tollgate.micro;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.budget.DemandEstimator;
import io.tollgate.node.budget.ReservationSettings;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.Json;
import io.tollgate.node.logging.CallLog;
import io.tollgate.node.metrics.CallMetrics;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.routing.RoutingStrategy;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.TokenCounter;
import java.math.BigDecimal;
import java.util.List;
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
 * The accounting of one chat call besides the budget ledger itself: the admission arithmetic (the
 * worst case reserved before the call), the prompt's token count, the metrics of the finished call,
 * and its access-log line (JSON, masked, written to /dev/null by this module's logback.xml).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dlogback.configurationFile=micro-logback.xml")
public class AccountingBenchmark {
  private ChatRequest request;
  private ModelGroup group;
  private ReservationSettings reservation;
  private GatewayMetrics metrics;
  private CallMetrics call;

  @Setup
  public void setUp() {
    Config config = ConfigFactory.load();
    request = OpenAiClientCodec.INSTANCE.decodeRequest(
        Json.readObject(Samples.OPENAI_REQUEST)).withMaxTokens(16);
    Price price = new Price(new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075"),
        new BigDecimal("0.15"));
    group = new ModelGroup("demo-openai", RoutingStrategy.PRIORITY, List.of(
        new ModelRoute("demo-openai", Samples.endpoint(BackendSchema.OPENAI), "gpt-4o-mini", price),
        new ModelRoute("demo-openai", Samples.endpoint(BackendSchema.ANTHROPIC), "claude-3-5-haiku-latest", price)));
    reservation = ReservationSettings.from(config);
    metrics = GatewayMetrics.create(config, "bench");
    call = new CallMetrics("bench-limits", ClientApi.OPENAI, "demo-openai", "bench-openai", "gpt-4o-mini", false,
        200, null, 212, 16, 0, 42, 3, -1);
  }

  /** The worst case over a two-deployment group (what admission reserves). */
  @Benchmark
  public Demand admissionWorstCase() {
    return DemandEstimator.chat(request, group, reservation);
  }

  /** The prompt's token count (routing and the worst case both use it). */
  @Benchmark
  public long countPromptTokens() {
    return TokenCounter.countPrompt(request, 0);
  }

  /** The metrics of one finished call (counters and histograms, about ten series). */
  @Benchmark
  public void recordCallMetrics() {
    metrics.recordCall(call);
  }

  /** The node's last-line secret masking over one access-log message (no secret in it: the usual case). */
  @Benchmark
  public String maskLogMessage() {
    return io.tollgate.node.logging.SecretMask.mask("call request_id=req_0123456789abcdef01234567 tenant_id=bench-limits"
        + " key_id=key_4ZipKDgeremDSPIL client_api=openai model=demo-openai provider=bench-openai status=200"
        + " outcome=success error_type=null input_tokens=212 output_tokens=16 cost_micros=42 latency_ms=3 streamed=false");
  }

  /** The access-log line of one finished call. */
  @Benchmark
  public void accessLogLine() {
    CallLog.finished("req_0123456789abcdef01234567", "bench-limits", "key_4ZipKDgeremDSPIL", "openai",
        "demo-openai", "bench-openai", 200, null, 212, 16, 42, 3, false);
  }
}
