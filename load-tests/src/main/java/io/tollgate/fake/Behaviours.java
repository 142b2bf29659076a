package io.tollgate.fake;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The behaviours a {@link FakeProvider} answers with: one global behaviour, and optionally one per
 * upstream model (the request's {@code model}, the Azure deployment or the Gemini path model) that
 * takes its place for that model's requests.
 */
final class Behaviours {
  private final AtomicReference<Behaviour> global;
  private final ConcurrentHashMap<String, Behaviour> perModel = new ConcurrentHashMap<>();

  Behaviours(Behaviour initial) {
    this.global = new AtomicReference<>(initial == null ? Behaviour.defaults() : initial);
  }

  Behaviour global() {
    return global.get();
  }

  void setGlobal(Behaviour b) {
    global.set(b == null ? Behaviour.defaults() : b);
  }

  /** Sets {@code model}'s behaviour; null goes back to the global one for that model. */
  void set(String model, Behaviour b) {
    if (model == null || model.isEmpty()) {
      throw new IllegalArgumentException("model must not be empty");
    }
    if (b == null) {
      perModel.remove(model);
    } else {
      perModel.put(model, b);
    }
  }

  void clearModels() {
    perModel.clear();
  }

  /** The behaviour of a request for {@code model} (null when the request named none). */
  Behaviour forModel(String model) {
    if (model == null || perModel.isEmpty()) {
      return global.get();
    }
    Behaviour b = perModel.get(model);
    return b == null ? global.get() : b;
  }
}
