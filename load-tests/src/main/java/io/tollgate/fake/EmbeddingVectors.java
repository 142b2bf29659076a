package io.tollgate.fake;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Deterministic unit vectors derived from a hash of the input (FNV-1a seed, splitmix64 stream). */
final class EmbeddingVectors {
  static final int DEFAULT_DIMENSIONS = 8;
  static final int MAX_DIMENSIONS = 4096;

  private EmbeddingVectors() {}

  static float[] of(String input, int dimensions) {
    int dims = Math.max(1, Math.min(dimensions, MAX_DIMENSIONS));
    long seed = 0xcbf29ce484222325L;
    for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
      seed = (seed ^ (b & 0xff)) * 0x100000001b3L;
    }
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      long z = mix(seed + (i + 1) * 0x9e3779b97f4a7c15L);
      v[i] = (float) ((z >>> 11) * 0x1.0p-53 * 2 - 1);
      norm += v[i] * v[i];
    }
    float scale = norm == 0 ? 1f : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /** Little-endian float32, base64: what OpenAI returns for {@code encoding_format: "base64"}. */
  static String base64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      buf.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
