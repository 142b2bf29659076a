package io.tollgate.protocol.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental Server-Sent Events parser: feed it bytes as they arrive, in chunks cut anywhere
 * (even inside a UTF-8 character), and it returns the events completed so far. Comment lines
 * ({@code : keep-alive}) are skipped. One instance per stream; bounded by {@code maxEventBytes}.
 */
public final class SseParser {
  private final int maxEventBytes;
  private byte[] buffer = new byte[8192];
  private int length;
  private String event;
  private StringBuilder data;

  public SseParser(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  public SseParser() {
    this(4 * 1024 * 1024);
  }

  /** Events completed by this chunk. @throws IllegalStateException when one event exceeds the bound */
  public List<SseEvent> feed(byte[] chunk, int offset, int count) {
    ensure(length + count);
    System.arraycopy(chunk, offset, buffer, length, count);
    length += count;
    List<SseEvent> out = new ArrayList<>(2);
    int lineStart = 0;
    for (int i = 0; i < length; i++) {
      byte b = buffer[i];
      if (b == '\n' || b == '\r') {
        int lineEnd = i;
        if (b == '\r' && i + 1 < length && buffer[i + 1] == '\n') {
          i++;
        } else if (b == '\r' && i + 1 == length) {
          break; // the '\n' of a CRLF may be in the next chunk
        }
        line(new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8), out);
        lineStart = i + 1;
      }
    }
    System.arraycopy(buffer, lineStart, buffer, 0, length - lineStart);
    length -= lineStart;
    if (length > maxEventBytes || (data != null && data.length() > maxEventBytes)) {
      throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
    }
    return out;
  }

  public List<SseEvent> feed(byte[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  /** At end of input: the last event if the stream did not end with a blank line. */
  public List<SseEvent> finish() {
    List<SseEvent> out = new ArrayList<>(1);
    if (length > 0) {
      line(new String(buffer, 0, length, StandardCharsets.UTF_8), out);
      length = 0;
    }
    line("", out);
    return out;
  }

  private void line(String line, List<SseEvent> out) {
    if (line.isEmpty()) {
      if (data != null) {
        out.add(new SseEvent(event, data.toString()));
      }
      event = null;
      data = null;
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value.length());
      } else {
        data.append('\n');
      }
      data.append(value);
    } else if (field.equals("event")) {
      event = value;
    }
  }

  private void ensure(int capacity) {
    if (capacity > buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
    }
  }
}
