package io.tollgate.node.limits;

import io.tollgate.protocol.json.RequestJson;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's limits on what callers send, built once per actor system from {@code tollgate.limits}:
 * the JSON readers of client and admin bodies, the bounds of client-chosen strings, and the
 * throttles of refused calls per key and per client address.
 */
public final class Limits implements Extension {
  private static final ExtensionId<Limits> ID = new ExtensionId<>() {
    @Override
    public Limits createExtension(ActorSystem<?> system) {
      return new Limits(LimitSettings.from(system.settings().config()));
    }
  };

  private final LimitSettings settings;
  private final RequestJson requestJson;
  private final RequestJson adminJson;
  private final RejectionThrottle perKey;
  private final RejectionThrottle perSource;

  Limits(LimitSettings settings) {
    this.settings = settings;
    this.requestJson = new RequestJson(settings.requestJson());
    this.adminJson = new RequestJson(settings.adminJson());
    this.perKey = new RejectionThrottle(settings.rejectionsPerKey(), settings.rejectionsPer(), settings.maxTracked(),
        System::nanoTime);
    this.perSource = new RejectionThrottle(settings.rejectionsPerSource(), settings.rejectionsPer(),
        settings.maxTracked(), System::nanoTime);
  }

  public static Limits get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public LimitSettings settings() {
    return settings;
  }

  /** Reads client API bodies. */
  public RequestJson requestJson() {
    return requestJson;
  }

  /** Reads admin API bodies. */
  public RequestJson adminJson() {
    return adminJson;
  }

  public FieldBounds fields() {
    return settings.fields();
  }

  /** Refused calls per key id. */
  public RejectionThrottle perKey() {
    return perKey;
  }

  /** Refused calls per client address. */
  public RejectionThrottle perSource() {
    return perSource;
  }
}
