package io.tollgate.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Server-Sent Events one at a time from a streamed response body, the way a client
 * library does: lines up to a blank line make a frame, comment lines are skipped. Closing it
 * closes the body, which is how a client abandons a stream.
 */
public final class SseReader implements AutoCloseable {
  private final InputStream body;
  private final BufferedReader lines;

  public SseReader(InputStream body) {
    this.body = body;
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next frame, or null when the stream has ended. */
  public SseFrame next() {
    try {
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            return new SseFrame(event, data.toString());
          }
          event = null;
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          String value = line.substring(5);
          value = value.startsWith(" ") ? value.substring(1) : value;
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      return data == null ? null : new SseFrame(event, data.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every remaining frame, until the stream ends. */
  public List<SseFrame> rest() {
    List<SseFrame> out = new ArrayList<>();
    for (SseFrame f = next(); f != null; f = next()) {
      out.add(f);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
