package io.streamlstm.streams;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON object written straight into UTF-8 bytes. The stream writes one score per reading; a Jackson
 * generator per record cost about as much as the LSTM step (its set-up and buffers), this costs a
 * fraction of it. Strings are escaped as RFC 8259 requires; doubles use the same shortest round-trip
 * text as Jackson's fast writer (Schubfach), so every bit of a score survives.
 */
final class JsonObjectWriter {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** One writer a thread for the object written per reading, so its buffer is not allocated and grown each time. */
  private static final ThreadLocal<JsonObjectWriter> PER_THREAD = ThreadLocal.withInitial(JsonObjectWriter::new);

  /** A score of one channel takes about 450 bytes. */
  private byte[] bytes = new byte[512];
  private int size;
  /** Per open object: does the next field need a comma before it. Scores nest one level at most. */
  private boolean needsComma;

  JsonObjectWriter() {
    append((byte) '{');
  }

  /**
   * This thread's writer, emptied, its object opened: for an object written per reading, in one go up to
   * {@link #end()} (a second call on the thread before that starts the object over).
   */
  static JsonObjectWriter reused() {
    final JsonObjectWriter writer = PER_THREAD.get();
    writer.size = 0;
    writer.needsComma = false;
    writer.append((byte) '{');
    return writer;
  }

  JsonObjectWriter field(String name, String value) {
    name(name);
    string(value);
    return this;
  }

  /** Not finite (nothing predicted yet) is written as {@code null}: JSON has no NaN. */
  JsonObjectWriter field(String name, double value) {
    name(name);
    if (Double.isFinite(value)) ascii(NumberOutput.toString(value, true));
    else ascii("null");
    return this;
  }

  JsonObjectWriter field(String name, long value) {
    name(name);
    ascii(Long.toString(value));
    return this;
  }

  JsonObjectWriter field(String name, boolean value) {
    name(name);
    ascii(value ? "true" : "false");
    return this;
  }

  /** A nested object of numbers, one per name. */
  JsonObjectWriter field(String name, String[] names, double[] values) {
    name(name);
    append((byte) '{');
    needsComma = false;
    for (int k = 0; k < names.length; k++) field(names[k], values[k]);
    append((byte) '}');
    needsComma = true;
    return this;
  }

  /** Closes the object and returns its bytes. */
  byte[] end() {
    append((byte) '}');
    return Arrays.copyOf(bytes, size);
  }

  private void name(String name) {
    if (needsComma) append((byte) ',');
    needsComma = true;
    string(name);
    append((byte) ':');
  }

  private void string(String text) {
    room(text.length() + 2);
    bytes[size++] = '"';
    int k = 0;
    // Sensor ids and names are plain ASCII almost always: copied without a check per byte.
    for (; k < text.length(); k++) {
      final char c = text.charAt(k);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      bytes[size++] = (byte) c;
    }
    for (; k < text.length(); k++) {
      final char c = text.charAt(k);
      if (c == '"' || c == '\\') {
        append((byte) '\\');
        append((byte) c);
      } else if (c < 0x20) {
        ascii("\\u00");
        append(HEX[c >> 4]);
        append(HEX[c & 0xF]);
      } else if (c < 0x80) {
        append((byte) c);
      } else {
        int codePoint = text.codePointAt(k);
        if (codePoint > 0xFFFF) k++;
        else if (Character.isSurrogate(c)) codePoint = '?'; // unpaired: replaced, as String.getBytes does
        utf8(codePoint);
      }
    }
    append((byte) '"');
  }

  private void utf8(int codePoint) {
    if (codePoint < 0x800) {
      append((byte) (0xC0 | codePoint >> 6));
    } else if (codePoint < 0x10000) {
      append((byte) (0xE0 | codePoint >> 12));
      append((byte) (0x80 | (codePoint >> 6 & 0x3F)));
    } else {
      append((byte) (0xF0 | codePoint >> 18));
      append((byte) (0x80 | (codePoint >> 12 & 0x3F)));
      append((byte) (0x80 | (codePoint >> 6 & 0x3F)));
    }
    append((byte) (0x80 | (codePoint & 0x3F)));
  }

  private void ascii(String text) {
    room(text.length());
    for (int k = 0; k < text.length(); k++) bytes[size++] = (byte) text.charAt(k);
  }

  private void append(byte b) {
    room(1);
    bytes[size++] = b;
  }

  private void room(int more) {
    if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
  }
}
