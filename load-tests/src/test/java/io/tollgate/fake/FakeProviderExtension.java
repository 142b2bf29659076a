package io.tollgate.fake;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One fake provider per test class: started before the class, stopped after it, and before each
 * test put back on its port with its start-up behaviour (none per model) and its recorded requests
 * forgotten, so tests stay independent. Register as
 * {@code @RegisterExtension static final FakeProviderExtension fake = ...}.
 */
final class FakeProviderExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final FakeProviderSettings settings;
  private FakeProvider provider;

  FakeProviderExtension() {
    this(FakeProviderSettings.defaults());
  }

  FakeProviderExtension(FakeProviderSettings settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    provider = FakeProvider.start(settings);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    provider.resume();
    provider.setBehaviour(settings.behaviour());
    provider.clearModelBehaviours();
    provider.clearRequests();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (provider != null) {
      provider.stop();
      provider = null;
    }
  }

  FakeProvider provider() {
    return provider;
  }

  /** The fake's base URL, without trailing slash. */
  String url() {
    return provider.url();
  }

  /** The fake's URL for {@code path} (starting with {@code /}, query included). */
  String url(String path) {
    return provider.url() + path;
  }
}
