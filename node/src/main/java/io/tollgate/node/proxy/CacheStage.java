package io.tollgate.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.Stages;
import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.cache.CacheDirectives;
import io.tollgate.node.cache.CacheKey;
import io.tollgate.node.cache.PartitionClient;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.cache.CachePartition;
import io.tollgate.persistence.cache.CachedAnswer;
import io.tollgate.persistence.tenantadmin.TenantCachePolicy;
import io.tollgate.persistence.tenantadmin.TenantCachePolicyStore;
import io.tollgate.protocol.cache.AnswerReplay;
import io.tollgate.protocol.cache.AnswerTranscript;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.translate.ChatTranslator;
import io.tollgate.protocol.usage.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's one stage in a chat call: after the request is validated, before anything
 * is admitted or routed. For tenants whose cache policy is on, it asks the key's
 * {@link CachePartition}: a hit is admitted as one request at zero cost (it counts against
 * requests-per-minute), recorded and replayed in the client's API, whole or as a stream; a miss
 * leads (the call goes upstream and its clean, complete answer is stored); an identical call in
 * flight is followed (waits, holding no budget, for the leader's answer; goes upstream itself when
 * none comes). A partition or Cassandra that is down or slow bypasses the cache. Responses say
 * what happened in {@code x-tollgate-cache}; the key itself is never shown.
 */
final class CacheStage {
  static final String HEADER = "x-tollgate-cache";
  static final String AGE_HEADER = "x-tollgate-cache-age";
  private static final Logger log = LoggerFactory.getLogger(CacheStage.class);
  /** What a hit reserves and settles: one request, nothing else. */
  private static final Demand ONE_REQUEST = new Demand(0, 0, 1);

  private final PartitionClient partitions;
  private final TenantCachePolicyStore policies;
  private final Admitter admitter;
  private final CallRecorder recorder;
  private final GatewayMetrics metrics;

  CacheStage(PartitionClient partitions, TenantCachePolicyStore policies, Admitter admitter, CallRecorder recorder,
      GatewayMetrics metrics) {
    this.partitions = partitions;
    this.policies = policies;
    this.admitter = admitter;
    this.recorder = recorder;
    this.metrics = metrics;
  }

  /** Answers the call from the cache, or through {@code upstream} (admission, routing, provider). */
  CompletionStage<HttpResponse> around(
      CallContext ctx, String logicalModel, JsonNode body, ChatRequest request,
      Supplier<CompletionStage<HttpResponse>> upstream) {
    String tenant = ctx.caller().tenantId();
    return policy(tenant).thenCompose(policy -> {
      if (!policy.enabled()) {
        return upstream.get();
      }
      Call call = new Call(ctx, logicalModel, request, policy, upstream);
      CacheDirectives directives = CacheDirectives.parse(ctx.cacheControl());
      if (directives.noStore() || request.choices() > 1) {
        return call.bypass("bypass");
      }
      CacheKey key = CacheKey.of(tenant, ctx.api(), logicalModel, body, partitions.settings().prefixLength());
      if (directives.noCache()) {
        return call.lead(key, null, "REFRESH", "refresh");
      }
      return partitions.lookup(key, directives.maxAgeMillis()).thenCompose(reply -> {
        if (reply instanceof CachePartition.Hit hit) {
          return call.serve(key, hit.answer(), "hit");
        }
        if (reply instanceof CachePartition.Lead lead) {
          return call.lead(key, lead.leadId(), "MISS", "miss");
        }
        if (reply instanceof CachePartition.Follow) {
          return partitions.await(key).thenCompose(later -> later instanceof CachePartition.Hit hit
              ? call.serve(key, hit.answer(), "coalesced") : call.miss());
        }
        return reply instanceof CachePartition.Unavailable ? call.bypass("unavailable") : call.miss();
      });
    });
  }

  /** The tenant's policy; off when it cannot be read in time (the cache never fails a call). */
  private CompletionStage<TenantCachePolicy> policy(String tenant) {
    // a copy: the store's future is shared by every caller and must not be completed from here
    return policies.get(tenant).toCompletableFuture().thenApply(p -> p)
        .completeOnTimeout(TenantCachePolicy.defaults(tenant), partitions.settings().lookupTimeout().toMillis(),
            TimeUnit.MILLISECONDS)
        .exceptionally(failure -> TenantCachePolicy.defaults(tenant));
  }

  /** One call through the cache. */
  private final class Call {
    final CallContext ctx;
    final String model;
    final ChatRequest request;
    final TenantCachePolicy policy;
    final Supplier<CompletionStage<HttpResponse>> upstream;

    Call(CallContext ctx, String model, ChatRequest request, TenantCachePolicy policy,
        Supplier<CompletionStage<HttpResponse>> upstream) {
      this.ctx = ctx;
      this.model = model;
      this.request = request;
      this.policy = policy;
      this.upstream = upstream;
    }

    CompletionStage<HttpResponse> bypass(String counted) {
      metrics.recordCache(ctx.caller().tenantId(), model, counted);
      ctx.cacheResult("bypass", 0);
      return tagged(upstream.get(), "BYPASS");
    }

    CompletionStage<HttpResponse> miss() {
      metrics.recordCache(ctx.caller().tenantId(), model, "miss");
      ctx.cacheResult("miss", 0);
      return tagged(upstream.get(), "MISS");
    }

    /** Goes upstream and stores a clean answer; {@code leadId} null: no followers wait (refresh, corrupted entry). */
    CompletionStage<HttpResponse> lead(CacheKey key, String leadId, String header, String counted) {
      metrics.recordCache(ctx.caller().tenantId(), model, counted);
      ctx.cacheResult(header.equals("REFRESH") ? "refresh" : "miss", 0);
      Fill fill = new Fill(this, key, leadId);
      ctx.keepAnswer(fill);
      CompletionStage<HttpResponse> answer;
      try {
        answer = upstream.get();
      } catch (RuntimeException e) {
        fill.abandon();
        throw e;
      }
      return tagged(Stages.plain(answer).whenComplete((response, failure) -> {
        // a stream's answer ends later (the sink decides then); anything else has ended by now
        if (failure != null || !(request.stream() && response.status().isSuccess())) {
          fill.abandon();
        }
      }), header);
    }

    CompletionStage<HttpResponse> serve(CacheKey key, CachedAnswer cached, String counted) {
      AnswerTranscript answer;
      try {
        answer = AnswerTranscript.fromJson(cached.answer());
      } catch (IllegalArgumentException corrupted) {
        log.warn("a cached answer of tenant {} could not be read: served from the provider and stored again",
            ctx.caller().tenantId());
        return lead(key, null, "MISS", "corrupted");
      }
      return admitter.admit(ctx, model, ONE_REQUEST)
          .thenCompose(admitted -> ctx.durable())
          .thenApply(durable -> {
            // only now: a hit refused (rate limit, no budget service) saved nothing
            ctx.cacheResult("hit", cached.savedCostMicros());
            metrics.recordCache(ctx.caller().tenantId(), model, counted);
            metrics.recordCacheSaved(ctx.caller().tenantId(), model, cached.savedCostMicros());
            HttpResponse response;
            if (request.stream()) {
              List<String> frames = AnswerReplay.stream(request, answer);
              ctx.bodies().ifPresent(b -> frames.forEach(b::response));
              response = stream(frames);
            } else {
              byte[] whole = AnswerReplay.whole(request, answer);
              ctx.bodies().ifPresent(b -> b.response(new String(whole, StandardCharsets.UTF_8)));
              response = HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, whole);
            }
            // recorded once the answer (and, for a tenant that keeps bodies, its text) is complete
            recorder.record(ctx, new CallRecorder.Outcome(
                model, null, Usage.ZERO, 200, null, request.stream() ? ctx.elapsedMillis() : -1, request.stream()));
            long ageSeconds = cached.ageMillis(System.currentTimeMillis()) / 1000;
            return response.addHeaders(List.<HttpHeader>of(
                RawHeader.create(HEADER, "HIT"),
                RawHeader.create(AGE_HEADER, Long.toString(ageSeconds)),
                RawHeader.create("x-tollgate-cost-usd", "0"),
                RawHeader.create("x-tollgate-input-tokens", "0"),
                RawHeader.create("x-tollgate-output-tokens", "0"),
                RawHeader.create("x-tollgate-attempts", "0")));
          });
    }

    private CompletionStage<HttpResponse> tagged(CompletionStage<HttpResponse> answer, String header) {
      return answer.thenApply(r -> r.addHeader(RawHeader.create(HEADER, header)));
    }

    private HttpResponse stream(List<String> frames) {
      Source<ByteString, ?> body = Source.from(frames).map(ByteString::fromString);
      return HttpResponse.create()
          .withEntity(HttpEntities.createChunked(MediaTypes.TEXT_EVENT_STREAM.toContentType(), body));
    }
  }

  /** Receives the leader's answer: stores it when it is clean and complete, else releases the followers. */
  private final class Fill implements AnswerSink {
    private final Call call;
    private final CacheKey key;
    private final String leadId;
    private final AtomicBoolean decided = new AtomicBoolean();

    Fill(Call call, CacheKey key, String leadId) {
      this.call = call;
      this.key = key;
      this.leadId = leadId;
    }

    @Override
    public void answered(ChatTranslator t, boolean streamed) {
      if (!decided.compareAndSet(false, true)) {
        return;
      }
      AnswerTranscript answer = t.transcript();
      if (answer == null || !storable(t, answer, streamed)) {
        release();
        return;
      }
      byte[] stored = answer.toJson();
      if (stored.length > partitions.settings().maxEntryBytes()) {
        release();
        return;
      }
      long saved = call.ctx.route() == null ? 0 : call.ctx.route().price().costMicros(answer.usage());
      long now = System.currentTimeMillis();
      partitions.complete(key, leadId, new CachedAnswer(stored, now, now + call.policy.ttlSeconds() * 1000L, saved));
    }

    void abandon() {
      if (decided.compareAndSet(false, true)) {
        release();
      }
    }

    private void release() {
      if (leadId != null) {
        partitions.abandon(key, leadId);
      }
    }

    /** Only clean, complete answers: never cut, failed, stopped at the output cap, filtered; tool calls only if the tenant allows. */
    private boolean storable(ChatTranslator t, AnswerTranscript answer, boolean streamed) {
      if (streamed && (!t.endedCleanly() || t.outputCapReached() || t.streamError() != null)) {
        return false;
      }
      StopReason reason = answer.stopReason();
      if (reason == StopReason.MAX_TOKENS || reason == StopReason.CONTENT_FILTER) {
        return false;
      }
      return call.policy.cacheToolCalls() || !answer.hasToolCalls();
    }
  }
}
