package io.tollgate.node.security;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Failed admin logins per source address, one per node: once a source has presented
 * {@code max-failures} wrong admin tokens within {@code window}, every admin request from it is
 * answered 429 until that window ends, whatever token it carries (a right token must not tell a
 * guesser it was right). Calls without any credential do not count.
 */
public final class AdminAuthThrottle implements Extension {
  /** Above this many tracked sources, sources whose window has ended are forgotten. */
  private static final int TIDY_ABOVE = 10_000;

  private record Window(long startNanos, int failures) {}

  private final int maxFailures;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> sources = new ConcurrentHashMap<>();

  AdminAuthThrottle(int maxFailures, Duration window, LongSupplier nanoTime) {
    this.maxFailures = maxFailures;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  public static AdminAuthThrottle get(ActorSystem<?> system) {
    return system.registerExtension(Id.INSTANCE);
  }

  /** How long {@code source} must wait before it may try again; empty when it may now. */
  public Optional<Duration> waitFor(String source) {
    Window w = sources.get(source);
    if (w == null || w.failures() < maxFailures) {
      return Optional.empty();
    }
    long left = w.startNanos() + windowNanos - nanoTime.getAsLong();
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  /** Counts one wrong admin token presented by {@code source}. */
  public void failed(String source) {
    long now = nanoTime.getAsLong();
    sources.compute(source, (s, w) -> w == null || now - w.startNanos() >= windowNanos
        ? new Window(now, 1)
        : new Window(w.startNanos(), w.failures() + 1));
    if (sources.size() > TIDY_ABOVE) {
      sources.values().removeIf(w -> now - w.startNanos() >= windowNanos);
    }
  }

  /** One throttle per actor system (node), from {@code tollgate.security.admin-auth-failures}. */
  public static final class Id extends ExtensionId<AdminAuthThrottle> {
    static final Id INSTANCE = new Id();

    @Override
    public AdminAuthThrottle createExtension(ActorSystem<?> system) {
      Config c = system.settings().config().getConfig("tollgate.security.admin-auth-failures");
      return new AdminAuthThrottle(c.getInt("max-failures"), c.getDuration("window"), System::nanoTime);
    }
  }
}
