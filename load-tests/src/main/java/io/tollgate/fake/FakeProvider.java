package io.tollgate.fake;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A fake LLM provider on 127.0.0.1 speaking the OpenAI (and Azure OpenAI), Anthropic and Gemini
 * wire formats, with scripted latency, streaming and failures. Runs on its own local ActorSystem.
 * Start one per test with {@link #start} and {@link #stop} it afterwards.
 */
public final class FakeProvider {
  private static final int RECORDED = 200;

  private final ActorSystem system;
  private final ServerBinding binding;
  private final AtomicReference<Behaviour> behaviour;
  private final RequestLog log;
  private final AtomicLong cancelled;

  private FakeProvider(ActorSystem system, ServerBinding binding, AtomicReference<Behaviour> behaviour,
      RequestLog log, AtomicLong cancelled) {
    this.system = system;
    this.binding = binding;
    this.behaviour = behaviour;
    this.log = log;
    this.cancelled = cancelled;
  }

  /** Binds and returns once the port is open; blocks the caller for that (test helper / main). */
  public static FakeProvider start(FakeProviderSettings settings) {
    ClassLoader cl = FakeProvider.class.getClassLoader();
    Config config = ConfigFactory.parseResources(cl, "fake-provider.conf")
        .withFallback(ConfigFactory.defaultReference(cl))
        .resolve();
    ActorSystem system = ActorSystem.create("fake-provider", config, cl);
    AtomicReference<Behaviour> behaviour = new AtomicReference<>(settings.behaviour());
    RequestLog log = new RequestLog(RECORDED);
    AtomicLong cancelled = new AtomicLong();
    FakeHandler handler = new FakeHandler(system, settings.apiKey(), behaviour, log, cancelled::incrementAndGet);
    try {
      ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", settings.port())
          .bind(handler::handle)
          .toCompletableFuture()
          .get(15, TimeUnit.SECONDS);
      return new FakeProvider(system, binding, behaviour, log, cancelled);
    } catch (Exception e) {
      system.terminate();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("fake provider could not bind 127.0.0.1:" + settings.port(), e);
    }
  }

  /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The last 200 requests, oldest first. */
  public List<RecordedRequest> requests() {
    return log.snapshot();
  }

  public void clearRequests() {
    log.clear();
  }

  /** The default behaviour of the following requests; their directives still override it. */
  public void setBehaviour(Behaviour b) {
    behaviour.set(b == null ? Behaviour.defaults() : b);
  }

  public Behaviour behaviour() {
    return behaviour.get();
  }

  /** Streamed answers the client abandoned before they completed. */
  public long cancelledStreams() {
    return cancelled.get();
  }

  /** Unbinds, ends open connections and terminates the actor system; blocks until done. */
  public void stop() {
    try {
      binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
