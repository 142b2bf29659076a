package io.tollgate.fake;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Passes a response stream through and runs {@code onCancel} when the downstream (the client's
 * connection) cancels before the stream completed: the client went away mid-answer.
 */
final class CancelWatch extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final Inlet<ByteString> in = Inlet.create("CancelWatch.in");
  private final Outlet<ByteString> out = Outlet.create("CancelWatch.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final Runnable onCancel;

  CancelWatch(Runnable onCancel) {
    this.onCancel = onCancel;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(out, grab(in));
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) throws Exception {
            onCancel.run();
            super.onDownstreamFinish(cause);
          }
        });
      }
    };
  }
}
