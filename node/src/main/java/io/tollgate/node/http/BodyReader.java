package io.tollgate.node.http;

import io.tollgate.node.Stages;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Reads a request body up to a limit. A larger body is drained (up to a bound) rather than cut
 * off, so clients that keep writing still read the 413 instead of a connection reset.
 */
public final class BodyReader {
  private final long maxBytes;
  private final long drainBytes;
  private final Materializer materializer;

  public BodyReader(long maxBytes, Materializer materializer) {
    this.maxBytes = maxBytes;
    this.drainBytes = Math.max(maxBytes * 4, 64L * 1024 * 1024);
    this.materializer = materializer;
  }

  public CompletionStage<ByteString> read(HttpEntity entity) {
    if (entity instanceof HttpEntity.Strict strict) {
      // the usual case for small bodies: the bytes are already here, no stream to run
      try {
        return CompletableFuture.completedFuture(new Accumulator().add(strict.getData()).result());
      } catch (GatewayException tooLarge) {
        return CompletableFuture.failedFuture(tooLarge);
      }
    }
    return Stages.plain(entity.getDataBytes()
            .runWith(Sink.fold(new Accumulator(), (acc, chunk) -> acc.add(chunk)), materializer))
        .thenApply(Accumulator::result);
  }

  private final class Accumulator {
    private final ByteStringBuilder builder = ByteString.createBuilder();
    private long total;

    Accumulator add(ByteString chunk) {
      total += chunk.size();
      if (total <= maxBytes) {
        builder.append(chunk);
      } else if (total > drainBytes) {
        throw tooLarge();
      }
      return this;
    }

    ByteString result() {
      if (total > maxBytes) {
        throw tooLarge();
      }
      return builder.result();
    }

    private GatewayException tooLarge() {
      return new GatewayException(ErrorKind.REQUEST_TOO_LARGE,
          "Request body is larger than the limit of " + maxBytes + " bytes.", null, "request_too_large");
    }
  }
}
