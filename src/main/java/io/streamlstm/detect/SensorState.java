package io.streamlstm.detect;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 *   normaliser     (k, 2)  running mean and variance (OnlineNormaliser), doubles
 *   origin         (k)  the channel's first reading, which the statistics' float means are relative to
 *   likelihood     (k, AnomalyLikelihood.STATS)       floats: the history, recent peak, each evidence's own
 *   histograms     (k, AnomalyLikelihood.HISTOGRAMS)  16-bit counts of each evidence's surprises
 *   recent         (capacity, k)  the last raw readings as floats, oldest first, to re-warm after a model switch
 * </pre>
 * Everything is held at the precision it is stored in: what is narrowed (floats, 16-bit counts) is
 * narrowed when it is updated, so a state that goes through {@link #encode} / {@link #decode} at every
 * reading scores bit for bit as one kept in memory.
 */
public final class SensorState {

  private static final byte MAGIC = 'S';
  /**
   * Version of the binary form. 1 and 2 held the statistics as doubles (2 without their zeros), 3 had no
   * history mean and variance for the level, 4 no episode-scale level, 5 no count of readings before the last
   * one (a clock set back) but the highest bin each surprise had counted, which 6 dropped since the tail
   * extrapolates from the bins that hold counts; 7 keeps each evidence's statistics as a slice of its own, the
   * routine's slot counts among them; 8 counts each surprise in 32 bins, not 24; 9 adds the stuck run's slice
   * ({@link Stuck}) to each channel's statistics; 10 judges the network's memory ({@link Memory}) in place of the
   * run of errors; 11 adds the sensor's usual spacing to the sudden error's slice, 12 the {@link ConfidenceScale}'s
   * slice to a one-channel model's lanes, 13 a second one (the network's forecast move's); {@link
   * SensorStateMigration} reads each into this one. The rule: every change of the format ships with the reader of the
   * format before it, and with a fixture of that format made by the build that wrote it.
   */
  static final byte FORMAT = 13;
  // The arrays go straight between the bytes and the fields, a vector at a time where the JVM can.
  private static final ArrayBytes ARRAYS = ArrayBytes.FASTEST;

  private String modelVersion;
  private byte[] modelVersionUtf8;
  String[] channels = {};
  private byte[][] channelsUtf8 = {};
  long readings;
  long lastTimestampMillis = Long.MIN_VALUE;
  /** Readings in a row earlier than the last accepted one, each at or after the one before (a clock set back). */
  int backwardsRun;
  /** The last of them, {@link Long#MIN_VALUE} while there are none. */
  long lastBackwardsMillis = Long.MIN_VALUE;
  float[][] recurrent = {};
  float[] predictedMean = {};
  float[] predictedSigma = {};
  double[] normaliser = {};
  double[] origin = {};
  float[] likelihood = {};
  char[] histograms = {};
  float[] recent = {};
  int recentCount;

  SensorState(String modelVersion) {
    setModelVersion(Objects.requireNonNull(modelVersion, "modelVersion"));
  }

  void setModelVersion(String version) {
    this.modelVersion = version;
    this.modelVersionUtf8 = version.getBytes(StandardCharsets.UTF_8);
  }

  /** Sizes the arrays for the first reading's {@code channels}, with {@code lanes} recurrent states. */
  void start(String[] channels, int lanes, int stateSize, int recentCapacity) {
    int k = channels.length;
    this.channels = channels.clone();
    this.channelsUtf8 = new byte[k][];
    for (int c = 0; c < k; c++) channelsUtf8[c] = channels[c].getBytes(StandardCharsets.UTF_8);
    this.recurrent = new float[lanes][stateSize];
    this.predictedMean = new float[k];
    this.predictedSigma = new float[k];
    this.normaliser = new double[2 * k];
    this.origin = new double[k];
    this.likelihood = new float[AnomalyLikelihood.STATS * k];
    this.histograms = new char[AnomalyLikelihood.HISTOGRAMS * k];
    this.recent = new float[recentCapacity * k];
    this.recentCount = 0;
  }

  /** A double held as a float, clamped to the finite floats so a state never holds an infinity. */
  static float narrow(double value) {
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, value));
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
    for (int c = 0; c < k; c++) recent[recentCount * k + c] = narrow(values[c]);
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
   * Compact versioned binary form; {@link #decode} of it gives back an equal state. Layout (little-endian;
   * "var" is an unsigned LEB128 varint): magic 'S', format 13, model version (var length + UTF-8), k (var),
   * k channel names (var length + UTF-8), readings (var), last timestamp (i64), backwards run (var) and, when
   * it is not 0, the last backwards timestamp (i64), lanes (var), state size
   * (var), lanes·size f32 h/C, μ and σ (k f32 each), normaliser (2k f64), origin (k f64), likelihood
   * (STATS·k f32), histograms (HISTOGRAMS·k u16), recent capacity (var),
   * count (var), count·k f32.
   */
  public byte[] encode() {
    byte[] out = new byte[encodedSize()];
    encodeInto(out);
    return out;
  }

  /** Bytes {@link #encode} writes. */
  public int encodedSize() {
    int k = channels.length;
    int stateSize = stateSize();
    int size = 2 + varSize(modelVersionUtf8.length) + modelVersionUtf8.length + varSize(k);
    for (byte[] name : channelsUtf8) size += varSize(name.length) + name.length;
    size += varSize(readings) + 8 + varSize(backwardsRun) + (backwardsRun == 0 ? 0 : 8);
    size += varSize(recurrent.length) + varSize(stateSize);
    size += 4 * (recurrent.length * stateSize + 2 * k + likelihood.length + recentCount * k);
    size += 8 * (normaliser.length + origin.length) + 2 * histograms.length;
    return size + varSize(recentCapacity()) + varSize(recentCount);
  }

  /**
   * Writes the binary form into {@code out} from index 0, allocating no array (at most the buffer view over
   * {@code out}, which escape analysis usually removes); returns its length.
   */
  public int encodeInto(byte[] out) {
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put(FORMAT);
    putBytes(b, modelVersionUtf8);
    putVar(b, channels.length);
    for (byte[] name : channelsUtf8) putBytes(b, name);
    putVar(b, readings);
    b.putLong(lastTimestampMillis);
    putVar(b, backwardsRun);
    if (backwardsRun != 0) b.putLong(lastBackwardsMillis);
    putVar(b, recurrent.length);
    putVar(b, stateSize());
    for (float[] lane : recurrent) putFloats(b, lane, lane.length);
    putFloats(b, predictedMean, predictedMean.length);
    putFloats(b, predictedSigma, predictedSigma.length);
    for (double v : normaliser) b.putDouble(v);
    for (double v : origin) b.putDouble(v);
    putFloats(b, likelihood, likelihood.length);
    if (histograms.length > b.remaining() / 2) throw new BufferOverflowException();
    ARRAYS.putChars(histograms, histograms.length, out, b.position());
    b.position(b.position() + 2 * histograms.length);
    putVar(b, recentCapacity());
    putVar(b, recentCount);
    putFloats(b, recent, recentCount * channels.length);
    return b.position();
  }

  /** @throws IllegalArgumentException with a clear message when the bytes are not a valid state */
  public static SensorState decode(byte[] bytes) {
    SensorState s = new SensorState("");
    decodeInto(bytes, s);
    return s;
  }

  /**
   * Reads the binary form into {@code into}, reusing its arrays and strings where they fit (a sensor's
   * state decoded into the same object reading after reading allocates no array or string, at most the buffer
   * view over {@code bytes}, which escape analysis usually removes).
   *
   * @throws IllegalArgumentException with a clear message when the bytes are not a valid state; {@code
   *     into} is then partly overwritten and must not be used
   */
  public static void decodeInto(byte[] bytes, SensorState into) {
    if (bytes == null || bytes.length < 2) throw invalid("too short (" + (bytes == null ? 0 : bytes.length) + " bytes)");
    if (bytes[0] != MAGIC) throw invalid("does not start with the sensor state marker");
    byte format = bytes[1];
    if (format == FORMAT) {
      readLittleEndian(bytes, into, AnomalyLikelihood.STATS, AnomalyLikelihood.HISTOGRAMS, true, false);
    } else {
      SensorStateMigration.decodeInto(bytes, format, into);
    }
  }

  /**
   * Reads the little-endian body that formats 3 to 13 share (and the float layout a build of format 2
   * wrote), after the magic and format bytes, with {@code statsPerChannel} likelihood floats and {@code
   * histogramsPerChannel} counts per channel, the backwards run when the format has it, and the hour slots' counts
   * as bytes after the histograms when it kept them so (formats before 7): the current format's, or an older one's
   * for {@link SensorStateMigration} to map onto the current layout.
   *
   * @return the slot counts, or null without them
   */
  static byte[] readLittleEndian(byte[] bytes, SensorState into, int statsPerChannel, int histogramsPerChannel,
      boolean withBackwardsRun, boolean withSlotCounts) {
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2).order(ByteOrder.LITTLE_ENDIAN);
    try {
      SensorState s = into;
      int versionLength = length(in, Detector.MAX_NAME_BYTES, "model version");
      if (!sameBytes(in, versionLength, s.modelVersionUtf8)) s.setModelVersion(string(in, versionLength));
      in.position(in.position() + versionLength);
      int k = length(in, Detector.MAX_CHANNELS, "channels");
      s.resizeChannels(k);
      for (int c = 0; c < k; c++) {
        int length = length(in, Detector.MAX_NAME_BYTES, "channel name");
        if (!sameBytes(in, length, s.channelsUtf8[c])) s.setChannel(c, string(in, length));
        in.position(in.position() + length);
      }
      s.readings = getVar(in);
      if (s.readings < 0) throw invalid("negative reading count " + s.readings);
      s.lastTimestampMillis = in.getLong();
      s.backwardsRun = withBackwardsRun ? length(in, Integer.MAX_VALUE, "backwards run") : 0;
      s.lastBackwardsMillis = s.backwardsRun == 0 ? Long.MIN_VALUE : in.getLong();
      int lanes = length(in, Detector.MAX_CHANNELS, "recurrent states");
      int stateSize = length(in, Integer.MAX_VALUE, "state size");
      s.readRecurrent(in, k, lanes, stateSize);
      s.predictedMean = getFloats(in, sized(s.predictedMean, k), k, "predicted mean");
      s.predictedSigma = getFloats(in, sized(s.predictedSigma, k), k, "predicted sigma");
      s.normaliser = getDoubles(in, sized(s.normaliser, 2 * k), "normaliser");
      s.origin = getDoubles(in, sized(s.origin, k), "origin");
      int stats = statsPerChannel * k;
      s.likelihood = getFloats(in, sized(s.likelihood, stats), stats, "likelihood");
      int histogramsLength = histogramsPerChannel * k;
      if (histogramsLength > in.remaining() / 2) throw new BufferUnderflowException();
      if (s.histograms.length != histogramsLength) s.histograms = new char[histogramsLength];
      ARRAYS.getChars(bytes, in.position(), s.histograms, histogramsLength);
      in.position(in.position() + 2 * histogramsLength);
      byte[] slotCounts = null;
      if (withSlotCounts) {
        slotCounts = new byte[SensorStateMigration.SLOTS * k];
        in.get(slotCounts);
      }
      int capacity = length(in, 255, "recent capacity");
      int count = length(in, capacity, "recent readings");
      s.recentCount = count;
      if (s.recent.length != capacity * k) s.recent = new float[capacity * k];
      getFloats(in, s.recent, count * k, "recent readings");
      Arrays.fill(s.recent, count * k, capacity * k, 0f);
      if (in.hasRemaining()) throw invalid(in.remaining() + " trailing bytes");
      return slotCounts;
    } catch (BufferUnderflowException e) {
      throw invalid("truncated at byte " + in.position() + " of " + bytes.length);
    }
  }

  /** Channel names for {@code k} channels, the old ones kept when the count is unchanged. */
  void resizeChannels(int k) {
    if (channels.length != k) {
      channels = new String[k];
      channelsUtf8 = new byte[k][];
    }
  }

  void setChannel(int c, String name) {
    channels[c] = name;
    channelsUtf8[c] = name.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code lanes} recurrent states of {@code stateSize} floats each, h then C, checked against what is left. */
  void readRecurrent(ByteBuffer in, int k, int lanes, int stateSize) {
    if ((long) lanes * stateSize > in.remaining() / 4) {
      throw invalid(lanes + " recurrent states of " + stateSize + " floats exceed the " + in.limit() + " bytes");
    }
    if (k == 0 && lanes != 0) throw invalid("recurrent state without channels");
    if (lanes == 0 && stateSize != 0) throw invalid("state size " + stateSize + " without recurrent states");
    if (recurrent.length != lanes) recurrent = new float[lanes][];
    for (int lane = 0; lane < lanes; lane++) {
      recurrent[lane] = getFloats(in, sized(recurrent[lane], stateSize), stateSize, "h/C");
    }
  }

  private int stateSize() {
    return recurrent.length == 0 ? 0 : recurrent[0].length;
  }

  static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("not a valid sensor state: " + why);
  }

  static float[] sized(float[] reused, int length) {
    return reused != null && reused.length == length ? reused : new float[length];
  }

  private static double[] sized(double[] reused, int length) {
    return reused.length == length ? reused : new double[length];
  }

  /** Unsigned LEB128: 7 bits a byte, low first, the high bit set on all but the last. */
  private static void putVar(ByteBuffer out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.put((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  private static int varSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static long getVar(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) return value;
    }
    throw invalid("varint longer than 9 bytes");
  }

  /** A varint count or length, at most {@code max}. */
  private static int length(ByteBuffer in, int max, String what) {
    long value = getVar(in);
    if (value > max) throw invalid(what + ": " + value + " exceeds " + max);
    return (int) value;
  }

  private static void putBytes(ByteBuffer out, byte[] utf8) {
    putVar(out, utf8.length);
    out.put(utf8);
  }

  /** Whether the next {@code length} bytes equal {@code known}; the position does not move. */
  private static boolean sameBytes(ByteBuffer in, int length, byte[] known) {
    if (length > in.remaining()) throw new BufferUnderflowException();
    int at = in.position();
    return known != null && Arrays.equals(in.array(), at, at + length, known, 0, known.length);
  }

  private static String string(ByteBuffer in, int length) {
    return new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
  }

  private static void putFloats(ByteBuffer out, float[] values, int n) {
    if (n > out.remaining() / 4) throw new BufferOverflowException();
    ARRAYS.putFloats(values, n, out.array(), out.position());
    out.position(out.position() + 4 * n);
  }

  /** The first {@code n} floats of {@code into} read, each checked finite. */
  static float[] getFloats(ByteBuffer in, float[] into, int n, String what) {
    if (n > in.remaining() / 4) throw new BufferUnderflowException();
    int notFinite = ARRAYS.getFloats(in.array(), in.position(), into, n);
    if (notFinite >= 0) throw invalid(what + " holds " + into[notFinite]);
    in.position(in.position() + 4 * n);
    return into;
  }

  private static double[] getDoubles(ByteBuffer in, double[] into, String what) {
    if (into.length > in.remaining() / 8) throw new BufferUnderflowException();
    for (int j = 0; j < into.length; j++) {
      double v = in.getDouble();
      if (!Double.isFinite(v)) throw invalid(what + " holds " + v);
      into[j] = v;
    }
    return into;
  }

  /** Equal when every field is, floats and doubles compared bit for bit. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SensorState s
        && modelVersion.equals(s.modelVersion)
        && Arrays.equals(channels, s.channels)
        && readings == s.readings
        && lastTimestampMillis == s.lastTimestampMillis
        && backwardsRun == s.backwardsRun
        && lastBackwardsMillis == s.lastBackwardsMillis
        && Arrays.deepEquals(recurrent, s.recurrent)
        && Arrays.equals(predictedMean, s.predictedMean)
        && Arrays.equals(predictedSigma, s.predictedSigma)
        && Arrays.equals(normaliser, s.normaliser)
        && Arrays.equals(origin, s.origin)
        && Arrays.equals(likelihood, s.likelihood)
        && Arrays.equals(histograms, s.histograms)
        && Arrays.equals(recent, s.recent)
        && recentCount == s.recentCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelVersion, Arrays.hashCode(channels), readings, lastTimestampMillis,
        Arrays.deepHashCode(recurrent), Arrays.hashCode(normaliser), Arrays.hashCode(likelihood),
        Arrays.hashCode(histograms));
  }

  @Override
  public String toString() {
    return "SensorState[model=" + modelVersion + ", channels=" + Arrays.toString(channels)
        + ", readings=" + readings + ", lastTimestamp=" + lastTimestampMillis + "]";
  }
}
