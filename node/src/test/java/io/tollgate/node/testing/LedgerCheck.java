package io.tollgate.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@code GET /admin/tenants/{t}/reconcile} answer against audit records the test read
 * itself: for every line, the ledger equals the sum of the records of the line's scope and window
 * (summed here, independently of the gateway), and the gateway's own sum agrees.
 */
public final class LedgerCheck {
  private LedgerCheck() {}

  /** What one reconcile line should show, from {@code audit}: the sum over its records in its unit. */
  public static long expected(JsonNode line, List<JsonNode> audit) {
    String scope = line.get("scope").asText();
    String kind = line.get("kind").asText();
    Instant from = Instant.parse(line.get("audit_from").asText());
    Instant to = Instant.parse(line.get("audit_to").asText());
    long sum = 0;
    for (JsonNode r : audit) {
      Instant time = Instant.parse(r.get("time").asText());
      if (time.isBefore(from) || !time.isBefore(to) || !leased(r) || !inScope(scope, r)) {
        continue;
      }
      sum += switch (kind) {
        case "usd" -> r.get("cost_micros").asLong();
        case "tokens", "tokens_per_minute" -> r.get("input_tokens").asLong() + r.get("output_tokens").asLong();
        case "requests_per_minute" -> 1;
        default -> throw new IllegalArgumentException("unknown kind " + kind);
      };
    }
    return sum;
  }

  /**
   * Asserts every line of {@code reconciled}: ledger == Σ audit (as summed here) and the gateway
   * summed the same; then that the answer as a whole says consistent. Returns the lines.
   */
  public static List<JsonNode> assertExact(JsonNode reconciled, List<JsonNode> audit) {
    List<JsonNode> lines = new ArrayList<>();
    reconciled.get("data").forEach(lines::add);
    for (JsonNode line : lines) {
      long expected = expected(line, audit);
      String name = line.get("scope").asText() + " " + line.get("kind").asText() + " " + line.get("period").asText()
          + " " + line.get("window_start").asText();
      assertThat(line.get("audit").asLong()).as("the gateway's audit sum of %s", name).isEqualTo(expected);
      assertThat(line.get("ledger").asLong()).as("ledger of %s == Σ audit: %s", name, line).isEqualTo(expected);
      assertThat(line.get("consistent").asBoolean()).as("%s consistent", name).isTrue();
    }
    assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
    return lines;
  }

  /** Whether a record was admitted from a tracked budget lease. */
  public static boolean leased(JsonNode record) {
    String lease = record.path("lease_id").asText("");
    return !lease.isBlank() && !lease.startsWith("unlimited-");
  }

  private static boolean inScope(String scope, JsonNode r) {
    if (scope.equals("tenant")) {
      return true;
    }
    if (scope.startsWith("team:")) {
      return scope.substring(5).equals(r.path("team").asText(null));
    }
    return scope.startsWith("key:") && scope.substring(4).equals(r.path("key_id").asText(null));
  }
}
