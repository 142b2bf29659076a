package io.tollgate.persistence.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Finds the string literals of a JSON text with their decoded values and where they sit (the path
 * of field names and array positions), without building a tree: a text cut short (a stored body
 * over its limit) or not quite JSON is still scanned as far as it goes.
 */
final class JsonStrings {

  /**
   * One string literal: {@code [start, end)} of the text including its quotes ({@code closed}
   * false when the text ends inside it), its decoded value, whether it is a field name, its path
   * and the name of the field it is the value of (null in an array).
   */
  record Literal(int start, int end, boolean closed, String value, boolean fieldName, String path, String field) {}

  private static final class Frame {
    final boolean object;
    String key;
    int index;
    boolean expectKey;

    Frame(boolean object) {
      this.object = object;
      this.expectKey = object;
    }
  }

  private JsonStrings() {}

  static List<Literal> scan(String json) {
    List<Literal> out = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    int n = json.length();
    for (int i = 0; i < n; i++) {
      char c = json.charAt(i);
      Frame top = stack.peek();
      switch (c) {
        case '{' -> stack.push(new Frame(true));
        case '[' -> stack.push(new Frame(false));
        case '}', ']' -> {
          if (!stack.isEmpty()) {
            stack.pop();
          }
        }
        case ',' -> {
          if (top != null && top.object) {
            top.expectKey = true;
          } else if (top != null) {
            top.index++;
          }
        }
        case ':' -> {
          if (top != null && top.object) {
            top.expectKey = false;
          }
        }
        case '"' -> {
          int close = closingQuote(json, i);
          boolean closed = close >= 0;
          int end = closed ? close + 1 : n;
          String value = decode(json, i + 1, closed ? close : n);
          boolean fieldName = top != null && top.object && top.expectKey;
          if (fieldName) {
            top.key = value;
          }
          String field = top != null && top.object ? top.key : null;
          out.add(new Literal(i, end, closed, value, fieldName, path(stack, fieldName), field));
          i = end - 1;
        }
        default -> {
          // numbers, literals, white space: nothing to record
        }
      }
    }
    return out;
  }

  /** The index of the quote closing the literal that opens at {@code open}; -1 when the text ends first. */
  private static int closingQuote(String s, int open) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  private static String path(Deque<Frame> stack, boolean fieldName) {
    StringBuilder b = new StringBuilder();
    for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
      Frame f = it.next();
      b.append('/').append(f.object ? f.key : Integer.toString(f.index));
    }
    return fieldName ? b.append("/#name").toString() : b.toString();
  }

  /** The characters of a literal's body {@code [from, to)}, escapes decoded; a broken escape is kept as written. */
  static String decode(String s, int from, int to) {
    StringBuilder b = new StringBuilder(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= to) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 5 <= to && isHex(s, i + 1, i + 5)) {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          } else {
            b.append('\\').append('u');
          }
        }
        default -> b.append(e); // \" \\ \/ and anything unknown
      }
    }
    return b.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    if (to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
