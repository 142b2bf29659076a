package io.tollgate.node.chaos;

import java.time.Instant;

/**
 * One chat request the chaos traffic sent and what came of it.
 *
 * @param loop which client loop sent it
 * @param rpmKey whether it was sent with the rate-limited key (else the budget key)
 * @param node index of the node it was sent to
 * @param status the HTTP status; 0 when no answer came (connection error, e.g. the node was killed)
 * @param requestId {@code x-request-id} of the answer (null without one)
 * @param errorType {@code error.type} of an error answer
 * @param window {@code x-tollgate-ratelimit-window} of the answer (null without one)
 */
record ChaosCall(int loop, boolean rpmKey, int node, Instant sentAt, Instant doneAt, int status, String requestId,
    String errorType, Long window) {

  boolean admitted() {
    return status == 200;
  }

  boolean unanswered() {
    return status == 0;
  }
}
