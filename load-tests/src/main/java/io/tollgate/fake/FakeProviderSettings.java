package io.tollgate.fake;

import java.util.regex.Pattern;

/**
 * Start-up settings of a {@link FakeProvider}.
 *
 * @param port TCP port; 0 picks a free one
 * @param apiKey the only credential the fake accepts, for every provider format
 * @param behaviour the default behaviour of every request
 * @param name a label echoed in the {@code x-fake-provider} header of every answer, so a test with
 *     several fakes (e.g. one per region) sees which one answered; null for no header
 * @param host the address it listens on ({@value #LOOPBACK} unless a test's nodes run elsewhere)
 */
public record FakeProviderSettings(int port, String apiKey, Behaviour behaviour, String name, String host) {
  public static final String LOOPBACK = "127.0.0.1";
  public static final String DEFAULT_API_KEY = "fake-provider-key";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public FakeProviderSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("apiKey must not be empty");
    }
    if (name != null && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be 1 to 64 letters, digits or . _ : -");
    }
    behaviour = behaviour == null ? Behaviour.defaults() : behaviour;
    host = host == null ? LOOPBACK : host;
  }

  public FakeProviderSettings(int port, String apiKey, Behaviour behaviour, String name) {
    this(port, apiKey, behaviour, name, LOOPBACK);
  }

  /** Settings without a name. */
  public FakeProviderSettings(int port, String apiKey, Behaviour behaviour) {
    this(port, apiKey, behaviour, null);
  }

  /** Free port, key {@value #DEFAULT_API_KEY}, {@link Behaviour#defaults()}, no name. */
  public static FakeProviderSettings defaults() {
    return new FakeProviderSettings(0, DEFAULT_API_KEY, Behaviour.defaults(), null);
  }

  public FakeProviderSettings withPort(int v) {
    return new FakeProviderSettings(v, apiKey, behaviour, name, host);
  }

  public FakeProviderSettings withApiKey(String v) {
    return new FakeProviderSettings(port, v, behaviour, name, host);
  }

  public FakeProviderSettings withBehaviour(Behaviour v) {
    return new FakeProviderSettings(port, apiKey, v, name, host);
  }

  public FakeProviderSettings withName(String v) {
    return new FakeProviderSettings(port, apiKey, behaviour, v, host);
  }

  public FakeProviderSettings withHost(String v) {
    return new FakeProviderSettings(port, apiKey, behaviour, name, v);
  }

  @Override
  public String toString() {
    return "FakeProviderSettings[port=" + port + ", apiKey=***, behaviour=" + behaviour + ", name=" + name + ", host=" + host + "]";
  }
}
