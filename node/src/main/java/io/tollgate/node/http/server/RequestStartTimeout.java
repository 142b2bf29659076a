package io.tollgate.node.http.server;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Closes a server connection that has not delivered a complete request head in time: its first
 * within {@code firstRequest} of opening, each later one within {@code keepAlive} of the end of
 * the previous answer (including a streamed body). A keep-alive connection may idle longer than a
 * new one may take for its head, so clients' pools are not cut under them every few seconds. Pekko HTTP has no header timeout of its own: its idle timeout restarts on every
 * byte, so a client sending half a header block a byte at a time held its connection for ever.
 * Materialized once per connection (wrap the route's flow with {@link #around}).
 */
public final class RequestStartTimeout
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final String TIMER = "request-start";

  private final Duration firstRequest;
  private final Duration keepAlive;
  private final Inlet<HttpRequest> requestsIn = Inlet.create("RequestStartTimeout.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("RequestStartTimeout.requestsOut");
  private final Inlet<HttpResponse> responsesIn = Inlet.create("RequestStartTimeout.responsesIn");
  private final Outlet<HttpResponse> responsesOut = Outlet.create("RequestStartTimeout.responsesOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);

  private RequestStartTimeout(Duration firstRequest, Duration keepAlive) {
    this.firstRequest = firstRequest;
    this.keepAlive = keepAlive;
  }

  /** {@code handler} (one connection's request-to-response flow) behind the timeouts. */
  public static Flow<HttpRequest, HttpResponse, NotUsed> around(
      Flow<HttpRequest, HttpResponse, NotUsed> handler, Duration firstRequest, Duration keepAlive) {
    return BidiFlow.fromGraph(new RequestStartTimeout(firstRequest, keepAlive)).join(handler);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private AsyncCallback<Done> answerEnded;

      @Override
      public void preStart() {
        answerEnded = createAsyncCallback(done -> waitForNextRequest());
        scheduleOnce(TIMER, firstRequest);
      }

      private void waitForNextRequest() {
        scheduleOnce(TIMER, keepAlive);
      }

      @Override
      public void onTimer(Object key) {
        // No request head in time: closing both directions makes Pekko HTTP close the connection.
        completeStage();
      }

      {
        setHandler(requestsIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            cancelTimer(TIMER);
            push(requestsOut, grab(requestsIn));
          }
        });
        setHandler(requestsOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestsIn);
          }
        });
        setHandler(responsesIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(responsesOut, restartWhenSent(grab(responsesIn)));
          }
        });
        setHandler(responsesOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(responsesIn);
          }
        });
      }

      /** The response, arranged to start the next wait once its body has been sent whole. */
      private HttpResponse restartWhenSent(HttpResponse response) {
        ResponseEntity entity = response.entity();
        if (entity.isKnownEmpty() || entity.isStrict()) {
          waitForNextRequest();
          return response;
        }
        Flow<ByteString, ByteString, Object> watched = Flow.<ByteString>create()
            .watchTermination((NotUsed n, CompletionStage<Done> ended) -> {
              ended.whenComplete((done, failure) -> answerEnded.invoke(Done.getInstance()));
              return (Object) n;
            });
        // The Java model has no transformDataBytes; every entity is also the Scala model's.
        return response.withEntity(((org.apache.pekko.http.scaladsl.model.ResponseEntity) entity)
            .transformDataBytes(watched.asScala()));
      }
    };
  }
}
