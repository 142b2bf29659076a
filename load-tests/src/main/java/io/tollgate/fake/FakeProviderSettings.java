package io.tollgate.fake;

/**
 * Start-up settings of a {@link FakeProvider}.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param apiKey the only credential the fake accepts, for every provider format
 * @param behaviour the default behaviour of every request
 */
public record FakeProviderSettings(int port, String apiKey, Behaviour behaviour) {
  public static final String DEFAULT_API_KEY = "fake-provider-key";

  public FakeProviderSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("apiKey must not be empty");
    }
    behaviour = behaviour == null ? Behaviour.defaults() : behaviour;
  }

  /** Free port, key {@value #DEFAULT_API_KEY}, {@link Behaviour#defaults()}. */
  public static FakeProviderSettings defaults() {
    return new FakeProviderSettings(0, DEFAULT_API_KEY, Behaviour.defaults());
  }

  public FakeProviderSettings withPort(int v) {
    return new FakeProviderSettings(v, apiKey, behaviour);
  }

  public FakeProviderSettings withApiKey(String v) {
    return new FakeProviderSettings(port, v, behaviour);
  }

  public FakeProviderSettings withBehaviour(Behaviour v) {
    return new FakeProviderSettings(port, apiKey, v);
  }

  @Override
  public String toString() {
    return "FakeProviderSettings[port=" + port + ", apiKey=***, behaviour=" + behaviour + "]";
  }
}
