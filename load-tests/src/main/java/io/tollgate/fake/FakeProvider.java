package io.tollgate.fake;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A fake LLM provider (on 127.0.0.1 unless told otherwise) speaking the OpenAI (and Azure OpenAI), Anthropic and Gemini
 * wire formats, with scripted latency, streaming and failures. Runs on its own local ActorSystem.
 * Start one per test with {@link #start} and {@link #stop} it afterwards; {@link #pause} and
 * {@link #resume} take it off and back onto its port in between, like a provider outage.
 */
public final class FakeProvider {
  private static final int RECORDED = 200;
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(15);
  /** How long open requests may still finish when the fake is paused or stopped. */
  private static final long DRAIN_MILLIS = 200;
  private static final Duration DRAIN = Duration.ofMillis(DRAIN_MILLIS);

  private final ActorSystem system;
  private final FakeHandler handler;
  private final Behaviours behaviours;
  private final RequestLog log;
  private final AtomicLong cancelled;
  private final String name;
  private final String host;
  private final int port;
  /** Null while paused; guarded by {@code this}. */
  private ServerBinding binding;

  private FakeProvider(ActorSystem system, FakeHandler handler, ServerBinding binding, Behaviours behaviours,
      RequestLog log, AtomicLong cancelled, String name, String host) {
    this.system = system;
    this.handler = handler;
    this.binding = binding;
    this.behaviours = behaviours;
    this.log = log;
    this.cancelled = cancelled;
    this.name = name;
    this.host = host;
    this.port = binding.localAddress().getPort();
  }

  /** Binds and returns once the port is open; blocks the caller for that (test helper / main). */
  public static FakeProvider start(FakeProviderSettings settings) {
    ClassLoader cl = FakeProvider.class.getClassLoader();
    Config config = ConfigFactory.parseResources(cl, "fake-provider.conf")
        .withFallback(ConfigFactory.defaultReference(cl))
        .resolve();
    ActorSystem system = ActorSystem.create("fake-provider", config, cl);
    Behaviours behaviours = new Behaviours(settings.behaviour());
    RequestLog log = new RequestLog(RECORDED);
    AtomicLong cancelled = new AtomicLong();
    FakeHandler handler = new FakeHandler(system, settings.apiKey(), behaviours, log, cancelled::incrementAndGet,
        settings.name());
    try {
      ServerBinding binding = bind(system, handler, settings.host(), settings.port());
      return new FakeProvider(system, handler, binding, behaviours, log, cancelled, settings.name(), settings.host());
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + host + ":" + port;
  }

  /** The port; the same after {@link #resume}. */
  public int port() {
    return port;
  }

  /** The label of the settings, sent as {@code x-fake-provider} on every answer. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The last 200 requests, oldest first. */
  public List<RecordedRequest> requests() {
    return log.snapshot();
  }

  /** Those of the last 200 requests that named {@code upstreamModel}, oldest first. */
  public List<RecordedRequest> requestsFor(String upstreamModel) {
    return log.snapshot().stream().filter(r -> upstreamModel.equals(r.model())).toList();
  }

  /** Every request that named {@code upstreamModel} since the start or {@link #clearRequests}. */
  public long requestCount(String upstreamModel) {
    return log.count(upstreamModel);
  }

  /** Forgets the recorded requests and the counts per model. */
  public void clearRequests() {
    log.clear();
  }

  /**
   * The default behaviour of the following requests; their directives still override it, and so
   * does a behaviour set for their model with {@link #setBehaviour(String, Behaviour)}.
   */
  public void setBehaviour(Behaviour b) {
    behaviours.setGlobal(b);
  }

  /**
   * The behaviour of the following requests for {@code upstreamModel} (the body's {@code model},
   * the Azure deployment, or the Gemini model of the path); directives still override it. Null
   * puts that model back on the default behaviour.
   */
  public void setBehaviour(String upstreamModel, Behaviour b) {
    behaviours.set(upstreamModel, b);
  }

  /** Puts every model back on the default behaviour. */
  public void clearModelBehaviours() {
    behaviours.clearModels();
  }

  /** The default behaviour. */
  public Behaviour behaviour() {
    return behaviours.global();
  }

  /** The behaviour a request for {@code upstreamModel} gets (before its directives). */
  public Behaviour behaviour(String upstreamModel) {
    return behaviours.forModel(upstreamModel);
  }

  /** Streamed answers the client abandoned before they completed. */
  public long cancelledStreams() {
    return cancelled.get();
  }

  /**
   * Takes the fake off its port, like a provider that went down: new connections are refused and
   * open ones end (requests still running get at most {@value #DRAIN_MILLIS} ms). Blocks until
   * done; does nothing when already paused. Recorded requests and behaviours are kept.
   */
  public synchronized void pause() {
    if (binding != null) {
      terminate(binding);
      binding = null;
    }
  }

  /** Binds the same port again after {@link #pause}; blocks until it is open. */
  public synchronized void resume() {
    if (binding == null) {
      binding = bind(system, handler, host, port);
    }
  }

  /** Whether the fake is off its port. */
  public synchronized boolean paused() {
    return binding == null;
  }

  /** Unbinds, ends open connections and terminates the actor system; blocks until done. */
  public synchronized void stop() {
    try {
      if (binding != null) {
        terminate(binding);
        binding = null;
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

  private static ServerBinding bind(ActorSystem system, FakeHandler handler, String host, int port) {
    try {
      return Http.get(system).newServerAt(host, port)
          .bind(handler::handle)
          .toCompletableFuture()
          .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("fake provider could not bind " + host + ":" + port, e);
    }
  }

  private static void terminate(ServerBinding b) {
    try {
      b.terminate(DRAIN).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
