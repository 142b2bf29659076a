package io.tollgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one workload as a closed loop: each of its connections sends the next request as soon as
 * the previous answer is complete, until the duration is over.
 */
final class LoadRunner implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final ExecutorService workers;
  private final ProcessCpu cpu;

  LoadRunner(int maxConnections, ProcessCpu cpu) {
    this.cpu = cpu;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    this.workers = Executors.newFixedThreadPool(maxConnections, r -> {
      Thread t = new Thread(r, "bench-worker");
      t.setDaemon(true);
      return t;
    });
  }

  RunResult run(Target target, Workload workload, Duration duration) throws InterruptedException {
    return RunResult.of(workload, target.name(), List.of(measure(target, workload, duration)));
  }

  /** One stretch of the workload's closed loops against {@code target}. */
  Measurement measure(Target target, Workload workload, Duration duration) throws InterruptedException {
    HttpRequest request = request(target, workload.streaming);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Callable<Outcome>> loops = new ArrayList<>();
    for (int i = 0; i < workload.connections; i++) {
      loops.add(() -> loop(request, workload.streaming, end));
    }
    List<LatencySamples> samples = new ArrayList<>();
    long errors = 0;
    long[] cpu0 = cpu.millis();
    for (Future<Outcome> f : workers.invokeAll(loops)) {
      try {
        Outcome o = f.get();
        samples.add(o.samples());
        errors += o.errors();
      } catch (ExecutionException e) {
        errors++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // resident memory at the end of the stretch: under the load it just carried
    return new Measurement(LatencySamples.merge(samples), errors, seconds, ProcessCpu.delta(cpu0, cpu.millis()),
        cpu.residentKiB());
  }

  private record Outcome(LatencySamples samples, long errors) {}

  private Outcome loop(HttpRequest request, boolean streaming, long end) {
    LatencySamples samples = new LatencySamples();
    long errors = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try {
        long latency = streaming ? timeToFirstByte(request, t0) : whole(request, t0);
        if (latency >= 0) {
          samples.add(latency);
        } else {
          errors++;
        }
      } catch (IOException e) {
        errors++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Outcome(samples, errors);
  }

  /** Latency of a whole answer, or -1 for a non-2xx status. */
  private long whole(HttpRequest request, long t0) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long latency = System.nanoTime() - t0;
    return r.statusCode() / 100 == 2 ? latency : -1;
  }

  /** Time until the first body byte of a streamed answer (then read to its end), or -1. */
  private long timeToFirstByte(HttpRequest request, long t0) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      int first = in.read();
      long latency = System.nanoTime() - t0;
      in.transferTo(OutputStream.nullOutputStream());
      return r.statusCode() / 100 == 2 && first >= 0 ? latency : -1;
    }
  }

  private static HttpRequest request(Target target, boolean streaming) {
    String body = "{\"model\":\"" + target.model() + "\",\"max_tokens\":16,\"stream\":" + streaming
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello. [[fake:chunks=1]]\"}]}";
    HttpRequest.Builder b = HttpRequest.newBuilder(target.chatUrl())
        .timeout(REQUEST_TIMEOUT)
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + target.key());
    target.headers().forEach(b::header);
    return b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
