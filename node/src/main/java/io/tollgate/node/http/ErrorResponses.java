package io.tollgate.node.http;

import io.tollgate.node.budget.BudgetRejection;
import io.tollgate.node.proxy.NoRouteAvailable;
import io.tollgate.node.proxy.TenantShareExceeded;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorBodies;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.StreamTcpException;

/** The one place where a failure becomes an HTTP response in the client API's own error shape. */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static HttpResponse of(ClientApi api, GatewayException e) {
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(ErrorBodies.render(api, e));
    } catch (java.io.IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return HttpResponse.create()
        .withStatus(ResponseStatus.of(e.kind().status()))
        .withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  /** Maps any failure to a gateway error without leaking internals (or secrets) to the client. */
  public static GatewayException classify(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof GatewayException g) {
      return g;
    }
    if (cause instanceof BudgetRejection r) {
      return r.error();
    }
    if (cause instanceof NoRouteAvailable n) {
      return n.error();
    }
    if (cause instanceof TenantShareExceeded shareExceeded) {
      return shareExceeded.error();
    }
    if (cause instanceof TimeoutException) {
      return new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "The provider did not answer in time.");
    }
    if (cause instanceof StreamTcpException || cause instanceof java.net.ConnectException) {
      return new GatewayException(ErrorKind.UPSTREAM_ERROR, "Could not connect to the provider.");
    }
    if (cause instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
      return new GatewayException(ErrorKind.REQUEST_TOO_LARGE, "Request body too large.");
    }
    return new GatewayException(ErrorKind.INTERNAL, "Internal gateway error.");
  }

  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
