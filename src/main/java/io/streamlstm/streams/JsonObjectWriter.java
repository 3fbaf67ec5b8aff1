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

  /** Doubles of an object whose text is remembered: a score's reference band is often its forecast band. */
  private static final int REMEMBERED_DOUBLES = 8;

  /** A score of one channel takes about 450 bytes. */
  private byte[] bytes = new byte[512];
  private int size;
  /** Per open object: does the next field need a comma before it. Scores nest one level at most. */
  private boolean needsComma;
  /** The bits of the object's last doubles written, and where their text lies in {@link #bytes}. */
  private final long[] doubleBits = new long[REMEMBERED_DOUBLES];
  private final int[] doubleStart = new int[REMEMBERED_DOUBLES];
  private final int[] doubleEnd = new int[REMEMBERED_DOUBLES];
  private int doublesWritten;

  /**
   * A field name as the writer puts it, quoted, escaped and followed by its colon, for names written once per
   * reading: encoded once instead of at every field.
   */
  static final class Name {
    private final byte[] encoded;

    Name(String name) {
      final JsonObjectWriter writer = new JsonObjectWriter();
      writer.size = 0;
      writer.string(name);
      writer.append((byte) ':');
      encoded = Arrays.copyOf(writer.bytes, writer.size);
    }
  }

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
    writer.doublesWritten = 0;
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
    number(value);
    return this;
  }

  JsonObjectWriter field(Name name, double value) {
    name(name);
    number(value);
    return this;
  }

  JsonObjectWriter field(Name name, String value) {
    name(name);
    string(value);
    return this;
  }

  JsonObjectWriter field(Name name, boolean value) {
    name(name);
    ascii(value ? "true" : "false");
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

  private void name(Name name) {
    room(name.encoded.length + 1);
    if (needsComma) bytes[size++] = ',';
    needsComma = true;
    System.arraycopy(name.encoded, 0, bytes, size, name.encoded.length);
    size += name.encoded.length;
  }

  /**
   * The double's shortest round-trip text; a value already written in this object has its text copied, since
   * formatting one costs more than the rest of its field.
   */
  private void number(double value) {
    if (!Double.isFinite(value)) {
      ascii("null");
      return;
    }
    final long bits = Double.doubleToRawLongBits(value);
    final int remembered = Math.min(doublesWritten, REMEMBERED_DOUBLES);
    for (int k = 0; k < remembered; k++) {
      if (doubleBits[k] == bits) {
        final int length = doubleEnd[k] - doubleStart[k];
        room(length);
        System.arraycopy(bytes, doubleStart[k], bytes, size, length);
        size += length;
        return;
      }
    }
    final int start = size;
    ascii(NumberOutput.toString(value, true));
    final int slot = doublesWritten++ % REMEMBERED_DOUBLES;
    doubleBits[slot] = bits;
    doubleStart[slot] = start;
    doubleEnd[slot] = size;
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

  /** Only for text of ASCII characters. */
  @SuppressWarnings("deprecation") // the one copy of a Latin-1 string's bytes that allocates nothing
  private void ascii(String text) {
    room(text.length());
    text.getBytes(0, text.length(), bytes, size);
    size += text.length();
  }

  private void append(byte b) {
    room(1);
    bytes[size++] = b;
  }

  private void room(int more) {
    if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
  }
}
