package io.streamlstm.lstm;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model file: a network, its normalisation and training metadata as bytes, and back. All numbers
 * big-endian; strings as an int byte length then UTF-8.
 * <pre>
 *   magic        8 bytes   0x89 'L' 'S' 'T' 'M' '\r' '\n' 0x1A  (catches text-mode mangling, like PNG)
 *   version      int       {@value #FORMAT_VERSION}
 *   length       long      of the whole file, checksum included, so truncation is named as such
 *   cell         string    "LSTM" | "RNN"
 *   inputSize, hiddenSize, layers     int ×3
 *   halfLife, clip                    double ×2   (normalisation)
 *   metadata     int count, then (key, value) string pairs sorted by key
 *   parameters   int count, then doubles in {@link Layout} order
 *   checksum     32 bytes  SHA-256 of everything before it
 * </pre>
 * Nothing in the file depends on when or where it was written, so the same training gives the same
 * bytes. A model's version is the first 12 hex digits of the checksum.
 */
public final class ModelFile {

  public static final int FORMAT_VERSION = 1;
  static final byte[] MAGIC = {(byte) 0x89, 'L', 'S', 'T', 'M', '\r', '\n', 0x1A};
  private static final int CHECKSUM_BYTES = 32;
  private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Long.BYTES;

  private ModelFile() {}

  public static byte[] encode(Network network, Normalisation normalisation, Map<String, String> metadata) {
    Architecture arch = network.architecture();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeLong(0); // the length, patched below once known
      writeString(out, arch.cell().name());
      out.writeInt(arch.inputSize());
      out.writeInt(arch.hiddenSize());
      out.writeInt(arch.layers());
      out.writeDouble(normalisation.halfLife());
      out.writeDouble(normalisation.clip());
      Map<String, String> sorted = new TreeMap<>(metadata);
      out.writeInt(sorted.size());
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
      double[] p = network.parameters();
      out.writeInt(p.length);
      for (double v : p) out.writeDouble(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    byte[] body = bytes.toByteArray();
    byte[] file = Arrays.copyOf(body, body.length + CHECKSUM_BYTES);
    ByteBuffer.wrap(file).putLong(MAGIC.length + Integer.BYTES, file.length);
    System.arraycopy(sha256(file, body.length), 0, file, body.length, CHECKSUM_BYTES);
    return file;
  }

  /**
   * Parses a model file's bytes; {@code source} names the file in messages.
   *
   * @throws ModelFileException for wrong magic bytes, another format version, truncation or a bad checksum
   */
  public static Model decode(byte[] file, String source) {
    for (int k = 0; k < MAGIC.length; k++) {
      if (k >= file.length) throw new ModelFileException(source + ": truncated: only " + file.length + " bytes");
      if (file[k] != MAGIC[k]) throw new ModelFileException(source + ": not a StreamLSTM model file (wrong magic bytes)");
    }
    if (file.length < HEADER_BYTES) {
      throw new ModelFileException(source + ": truncated: only " + file.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(file);
    in.position(MAGIC.length);
    int version = in.getInt();
    if (version != FORMAT_VERSION) {
      throw new ModelFileException(
          source + ": model file format version " + version + " is not supported (this build reads version "
              + FORMAT_VERSION + ")");
    }
    long length = in.getLong();
    if (file.length < length) {
      throw new ModelFileException(source + ": truncated: " + file.length + " of " + length + " bytes");
    }
    if (file.length != length || length < HEADER_BYTES + CHECKSUM_BYTES) {
      throw new ModelFileException(
          source + ": corrupt: " + file.length + " bytes but the header says " + length);
    }
    int body = file.length - CHECKSUM_BYTES;
    byte[] checksum = sha256(file, body);
    if (!Arrays.equals(checksum, 0, CHECKSUM_BYTES, file, body, file.length)) {
      throw new ModelFileException(source + ": corrupt: checksum mismatch");
    }
    try {
      CellType cell = CellType.valueOf(readString(in));
      Architecture arch = new Architecture(cell, in.getInt(), in.getInt(), in.getInt());
      Normalisation normalisation = new Normalisation(in.getDouble(), in.getDouble());
      int entries = in.getInt();
      Map<String, String> metadata = new TreeMap<>();
      for (int k = 0; k < entries; k++) metadata.put(readString(in), readString(in));
      double[] p = new double[in.getInt()];
      for (int k = 0; k < p.length; k++) p[k] = in.getDouble();
      if (in.position() != body) throw new IllegalArgumentException((body - in.position()) + " stray bytes");
      String modelVersion = HexFormat.of().formatHex(checksum, 0, 6);
      return new Model(
          new Network(arch, p), normalisation, Collections.unmodifiableMap(metadata), modelVersion);
    } catch (RuntimeException e) {
      // The checksum matched, so the writer itself produced nonsense.
      throw new ModelFileException(source + ": inconsistent model file: " + e.getMessage());
    }
  }

  /** Writes the model file and returns the model as it will read back, version included. */
  public static Model write(Path file, Network network, Normalisation normalisation, Map<String, String> metadata) {
    byte[] bytes = encode(network, normalisation, metadata);
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return decode(bytes, file.toString());
  }

  /**
   * @throws ModelFileException when the file is missing or unusable
   */
  public static Model read(Path file) {
    try {
      return decode(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new ModelFileException(file + ": no such model file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(ByteBuffer in) {
    byte[] utf8 = new byte[in.getInt()];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
