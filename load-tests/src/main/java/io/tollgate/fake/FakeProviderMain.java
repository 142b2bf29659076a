package io.tollgate.fake;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake provider in the foreground. Port from {@code --port N} or {@code FAKE_PROVIDER_PORT}
 * (default 0: a free port); key from {@code --api-key K} or {@code FAKE_PROVIDER_API_KEY}; optional
 * {@code --ttft-ms}, {@code --chunk-delay-ms}, {@code --chunks}, {@code --latency-ms}, and {@code --name L}
 * (echoed in the {@code x-fake-provider} header of every answer). Prints exactly
 * one stdout line, {@code FAKE_PROVIDER_URL=http://127.0.0.1:<port>}, once bound; stops on SIGTERM
 * or Ctrl-C.
 */
public final class FakeProviderMain {
  private FakeProviderMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "fake-provider-logback.xml");
    }
    FakeProviderSettings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fake provider: " + e.getMessage());
      System.err.println("usage: FakeProviderMain [--port N] [--api-key K] [--name L] [--latency-ms N] [--ttft-ms N]"
          + " [--chunks N] [--chunk-delay-ms N]");
      System.exit(2);
      return;
    }
    FakeProvider provider = FakeProvider.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      provider.stop();
      stopped.countDown();
    }, "fake-provider-shutdown"));
    System.out.println("FAKE_PROVIDER_URL=" + provider.url());
    System.out.flush();
    stopped.await();
  }

  static FakeProviderSettings parse(String[] args) {
    String envPort = System.getenv("FAKE_PROVIDER_PORT");
    String envKey = System.getenv("FAKE_PROVIDER_API_KEY");
    FakeProviderSettings s = FakeProviderSettings.defaults();
    if (envPort != null && !envPort.isBlank()) {
      s = s.withPort(number("FAKE_PROVIDER_PORT", envPort));
    }
    if (envKey != null && !envKey.isBlank()) {
      s = s.withApiKey(envKey);
    }
    Behaviour b = s.behaviour();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--port" -> s = s.withPort(number(flag, value));
        case "--api-key" -> s = s.withApiKey(value);
        case "--name" -> s = s.withName(value);
        case "--latency-ms" -> b = b.withLatencyMillis(number(flag, value));
        case "--ttft-ms" -> b = b.withTtftMillis(number(flag, value));
        case "--chunks" -> b = b.withChunks(number(flag, value));
        case "--chunk-delay-ms" -> b = b.withChunkDelayMillis(number(flag, value));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    return s.withBehaviour(b);
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }
}
