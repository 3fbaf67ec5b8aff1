package io.streamlstm.detect;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything the detector remembers of one sensor between readings. Mutable: {@link Detector#process}
 * updates it in place. Before the first accepted reading it knows only its model version; the first
 * reading fixes the channels and sizes the arrays.
 *
 * <p>Per channel c of k (and per lane: one per channel when the model reads one channel, else one):
 * <pre>
 *   recurrent      (lanes, stateSize)  h then C of every layer, as the StepKernel keeps them
 *   predictedMean  (k)  μ of the next normalised reading     predictedSigma (k)  its σ
 *   normaliser     (k, 2)  running mean and variance (OnlineNormaliser)
 *   likelihood     (k, AnomalyLikelihood.STATS)  short average and the histories of the errors
 *   recent         (capacity, k)  the last raw readings, oldest first, for re-warming after a model switch
 * </pre>
 */
public final class SensorState {

  private static final byte MAGIC = 'S';
  /** Version of the binary form; a new layout gets a new number and decode keeps reading the old ones. */
  private static final byte FORMAT = 2;
  /** Format 1 stored the likelihood statistics densely; 2 leaves out the zeros (about a third of them). */
  private static final byte DENSE_LIKELIHOOD = 1;

  String modelVersion;
  String[] channels = {};
  long readings;
  long lastTimestampMillis = Long.MIN_VALUE;
  float[][] recurrent = {};
  float[] predictedMean = {};
  float[] predictedSigma = {};
  double[] normaliser = {};
  double[] likelihood = {};
  double[] recent = {};
  int recentCount;

  SensorState(String modelVersion) {
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
  }

  /** Sizes the arrays for the first reading's {@code channels}, with {@code lanes} recurrent states. */
  void start(String[] channels, int lanes, int stateSize, int recentCapacity) {
    int k = channels.length;
    this.channels = channels.clone();
    this.recurrent = new float[lanes][stateSize];
    this.predictedMean = new float[k];
    this.predictedSigma = new float[k];
    this.normaliser = new double[2 * k];
    this.likelihood = new double[AnomalyLikelihood.STATS * k];
    this.recent = new double[recentCapacity * k];
    this.recentCount = 0;
  }

  /** Appends one raw reading to the ring of recent ones, dropping the oldest when full. */
  void remember(double[] values) {
    int k = channels.length;
    int capacity = recentCapacity();
    if (capacity == 0) return;
    if (recentCount == capacity) {
      System.arraycopy(recent, k, recent, 0, (capacity - 1) * k);
      recentCount--;
    }
    System.arraycopy(values, 0, recent, recentCount * k, k);
    recentCount++;
  }

  int recentCapacity() {
    return channels.length == 0 ? 0 : recent.length / channels.length;
  }

  public String modelVersion() {
    return modelVersion;
  }

  /** The sensor's channels, empty before its first reading. */
  public String[] channels() {
    return channels.clone();
  }

  /** Accepted readings so far. */
  public long readings() {
    return readings;
  }

  /** Timestamp of the last accepted reading, {@link Long#MIN_VALUE} before the first. */
  public long lastTimestampMillis() {
    return lastTimestampMillis;
  }

  /**
   * Compact versioned binary form; {@link #decode} of it gives back an equal state. Layout (big-endian):
   * magic 'S', format 2, model version (u16 length + UTF-8), k (u8), k channel names (u16 length + UTF-8),
   * readings (i64), last timestamp (i64), lanes (u8), state size (i32), lanes·size floats, μ and σ (k floats each),
   * normaliser (2k doubles), likelihood (n = k·STATS doubles: a bitmap of ⌈n/8⌉ bytes marking the non-zero
   * ones, then those), recent capacity (u8), count (u8), count·k doubles.
   */
  public byte[] encode() {
    byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
    byte[][] names = new byte[channels.length][];
    int stateSize = recurrent.length == 0 ? 0 : recurrent[0].length;
    int size = 2 + 2 + version.length + 1 + 8 + 8 + 1 + 4 + 2;
    for (int c = 0; c < channels.length; c++) {
      names[c] = channels[c].getBytes(StandardCharsets.UTF_8);
      size += 2 + names[c].length;
    }
    size += 4 * (recurrent.length * stateSize + predictedMean.length + predictedSigma.length);
    int nonZero = 0;
    for (double v : likelihood) if (Double.doubleToRawLongBits(v) != 0) nonZero++;
    size += (likelihood.length + 7) / 8 + 8 * nonZero;
    size += 8 * (normaliser.length + recentCount * channels.length);
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).put(FORMAT);
    putString(out, version);
    out.put((byte) channels.length);
    for (byte[] name : names) putString(out, name);
    out.putLong(readings).putLong(lastTimestampMillis);
    out.put((byte) recurrent.length).putInt(stateSize);
    for (float[] lane : recurrent) {
      for (float v : lane) out.putFloat(v);
    }
    for (float v : predictedMean) out.putFloat(v);
    for (float v : predictedSigma) out.putFloat(v);
    for (double v : normaliser) out.putDouble(v);
    putSparse(out, likelihood);
    out.put((byte) recentCapacity()).put((byte) recentCount);
    for (int j = 0; j < recentCount * channels.length; j++) out.putDouble(recent[j]);
    return out.array();
  }

  /** @throws IllegalArgumentException with a clear message when the bytes are not a valid state */
  public static SensorState decode(byte[] bytes) {
    if (bytes == null || bytes.length < 2) throw invalid("too short (" + (bytes == null ? 0 : bytes.length) + " bytes)");
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.get() != MAGIC) throw invalid("does not start with the sensor state marker");
    byte format = in.get();
    if (format != FORMAT && format != DENSE_LIKELIHOOD) {
      throw invalid("unknown format version " + format + " (this build reads " + DENSE_LIKELIHOOD + " and " + FORMAT + ")");
    }
    try {
      SensorState s = new SensorState(getString(in));
      int k = Byte.toUnsignedInt(in.get());
      s.channels = new String[k];
      for (int c = 0; c < k; c++) s.channels[c] = getString(in);
      s.readings = in.getLong();
      s.lastTimestampMillis = in.getLong();
      int lanes = Byte.toUnsignedInt(in.get());
      int stateSize = in.getInt();
      if (stateSize < 0 || (long) lanes * stateSize > in.remaining() / 4) {
        throw invalid(lanes + " recurrent states of " + stateSize + " floats exceed the " + bytes.length + " bytes");
      }
      if (k == 0 && lanes != 0) throw invalid("recurrent state without channels");
      if (lanes == 0 && stateSize != 0) throw invalid("state size " + stateSize + " without recurrent states");
      s.recurrent = new float[lanes][];
      for (int lane = 0; lane < lanes; lane++) s.recurrent[lane] = finite(floats(in, stateSize), "h/C");
      s.predictedMean = finite(floats(in, k), "predicted mean");
      s.predictedSigma = finite(floats(in, k), "predicted sigma");
      s.normaliser = finite(doubles(in, 2 * k, 2 * k), "normaliser");
      int n = AnomalyLikelihood.STATS * k;
      s.likelihood = finite(format == DENSE_LIKELIHOOD ? doubles(in, n, n) : sparse(in, n), "likelihood");
      int capacity = Byte.toUnsignedInt(in.get());
      int count = Byte.toUnsignedInt(in.get());
      if (count > capacity) throw invalid(count + " recent readings in a ring of " + capacity);
      s.recentCount = count;
      s.recent = finite(doubles(in, count * k, capacity * k), "recent readings");
      if (s.readings < 0) throw invalid("negative reading count " + s.readings);
      if (in.hasRemaining()) throw invalid(in.remaining() + " trailing bytes");
      return s;
    } catch (BufferUnderflowException e) {
      throw invalid("truncated at byte " + in.position() + " of " + bytes.length);
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("not a valid sensor state: " + why);
  }

  private static void putString(ByteBuffer out, byte[] utf8) {
    out.putShort((short) utf8.length).put(utf8);
  }

  private static String getString(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > in.remaining()) throw new BufferUnderflowException();
    byte[] utf8 = new byte[length];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** A bitmap of the non-zero values (bit j of byte j/8, low bit first), then those values. */
  private static void putSparse(ByteBuffer out, double[] values) {
    for (int j = 0; j < values.length; j += 8) {
      int bits = 0;
      for (int b = 0; b < 8 && j + b < values.length; b++) {
        if (Double.doubleToRawLongBits(values[j + b]) != 0) bits |= 1 << b;
      }
      out.put((byte) bits);
    }
    for (double v : values) {
      if (Double.doubleToRawLongBits(v) != 0) out.putDouble(v);
    }
  }

  private static double[] sparse(ByteBuffer in, int n) {
    byte[] bitmap = new byte[(n + 7) / 8];
    in.get(bitmap);
    if (n % 8 != 0 && (bitmap[bitmap.length - 1] & 0xff) >>> (n % 8) != 0) throw invalid("likelihood bitmap marks values past the end");
    double[] v = new double[n];
    for (int j = 0; j < n; j++) {
      if ((bitmap[j / 8] >>> (j % 8) & 1) != 0) {
        v[j] = in.getDouble();
        if (Double.doubleToRawLongBits(v[j]) == 0) throw invalid("likelihood value marked non-zero is 0");
      }
    }
    return v;
  }

  private static float[] floats(ByteBuffer in, int n) {
    if (n > in.remaining() / 4) throw new BufferUnderflowException();
    float[] v = new float[n];
    for (int j = 0; j < n; j++) v[j] = in.getFloat();
    return v;
  }

  /** {@code n} doubles read into an array of {@code length ≥ n}, the rest 0. */
  private static double[] doubles(ByteBuffer in, int n, int length) {
    if (n > in.remaining() / 8) throw new BufferUnderflowException();
    double[] v = new double[length];
    for (int j = 0; j < n; j++) v[j] = in.getDouble();
    return v;
  }

  private static float[] finite(float[] values, String what) {
    for (float v : values) {
      if (!Float.isFinite(v)) throw invalid(what + " holds " + v);
    }
    return values;
  }

  private static double[] finite(double[] values, String what) {
    for (double v : values) {
      if (!Double.isFinite(v)) throw invalid(what + " holds " + v);
    }
    return values;
  }

  /** Equal when every field is, floats and doubles compared bit for bit. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SensorState s
        && modelVersion.equals(s.modelVersion)
        && Arrays.equals(channels, s.channels)
        && readings == s.readings
        && lastTimestampMillis == s.lastTimestampMillis
        && Arrays.deepEquals(recurrent, s.recurrent)
        && Arrays.equals(predictedMean, s.predictedMean)
        && Arrays.equals(predictedSigma, s.predictedSigma)
        && Arrays.equals(normaliser, s.normaliser)
        && Arrays.equals(likelihood, s.likelihood)
        && Arrays.equals(recent, s.recent)
        && recentCount == s.recentCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelVersion, Arrays.hashCode(channels), readings, lastTimestampMillis,
        Arrays.deepHashCode(recurrent), Arrays.hashCode(normaliser), Arrays.hashCode(likelihood));
  }

  @Override
  public String toString() {
    return "SensorState[model=" + modelVersion + ", channels=" + Arrays.toString(channels)
        + ", readings=" + readings + ", lastTimestamp=" + lastTimestampMillis + "]";
  }
}
