package io.tollgate.node.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeMap;

/**
 * The exact cache key of a chat request: SHA-256 over the tenant, the client API family, the
 * resolved logical model and the request body in canonical form (object members sorted, at every
 * depth), with the top-level fields in {@link #IGNORED} left out: they do not shape the answer.
 * Every other field counts (messages with all their parts, tools, tool_choice, response_format,
 * temperature, top_p, seed, stop, max_tokens, n, reasoning and thinking settings, and fields this
 * gateway does not know yet). The tenant is also part of the partition the key lives in, so it is
 * a hard partition, not just hashed in. The key never leaves the cluster.
 *
 * @param hash lower-case hex
 * @param partition the first characters of {@code hash}: which {@code CachePartition} of the tenant owns it
 */
public record CacheKey(String tenantId, String hash, String partition) {

  /** Fields that do not change the answer: end-user ids, metadata, and how it is delivered. */
  public static final Set<String> IGNORED = Set.of(
      "model", "user", "metadata", "stream", "stream_options", "safety_identifier", "prompt_cache_key", "store");

  public static CacheKey of(String tenantId, ClientApi api, String logicalModel, JsonNode body, int prefixLength) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    TreeMap<String, JsonNode> fields = new TreeMap<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!IGNORED.contains(name)) {
        fields.put(name, sorted(body.get(name)));
      }
    }
    fields.forEach(canonical::set);
    MessageDigest sha = sha256();
    update(sha, "tollgate-cache-v1");
    update(sha, tenantId);
    update(sha, api.name());
    update(sha, logicalModel);
    sha.update(Json.bytes(canonical));
    String hash = HexFormat.of().formatHex(sha.digest());
    return new CacheKey(tenantId, hash, hash.substring(0, prefixLength));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }

  /** Length-prefixed, so no two different field sequences hash the same bytes. */
  private static void update(MessageDigest sha, String s) {
    byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    sha.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Never the hash: logs and errors must not carry the key. */
  @Override
  public String toString() {
    return "CacheKey[" + tenantId + "]";
  }
}
