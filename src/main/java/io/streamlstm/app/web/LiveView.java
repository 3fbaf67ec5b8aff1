package io.streamlstm.app.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Explanation;
import io.streamlstm.streams.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the live page knows, in bounded memory: the latest {@code sensorLimit} sensors to be scored, each
 * with its last {@code pointsPerSensor} points; the last {@link #DEAD_LETTERS_KEPT} dead letters; and
 * counts of everything read. Fed from the output topics by {@link LiveFeed}, read by the page's JSON
 * routes; one lock, as the feed writes a record at a time and a request copies what it shows.
 */
final class LiveView {

  static final int DEAD_LETTERS_KEPT = 200;
  /** Model names the header lists: as many as a service follows, with room; others' mistakes must not grow it. */
  static final int MODELS_KEPT = 32;
  /** Enough of a refused record's bytes to see what was wrong with it. */
  static final int DEAD_LETTER_PREVIEW_CHARS = 300;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final int sensorLimit;
  private final int pointsPerSensor;
  private final double anomalyThreshold;
  /** Access order: the sensor scored (or looked at) longest ago is the first to go when the limit is reached. */
  private final LinkedHashMap<String, SensorHistory> sensors;
  private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private long readings;
  private long anomalies;
  private long unreadableScores;
  private long sensorsDropped;
  /** Each model name's version, as its latest score had it; "" for scores that name no model (older ones). */
  private final Map<String, String> modelVersions = new TreeMap<>();

  /** A refused record as the page shows it: its key, the reason headers and the start of the original bytes. */
  record DeadLetter(long timestampMillis, String key, String reason, String detail, String source, String value) {}

  LiveView(int sensorLimit, int pointsPerSensor, double anomalyThreshold) {
    this.sensorLimit = sensorLimit;
    this.pointsPerSensor = pointsPerSensor;
    this.anomalyThreshold = anomalyThreshold;
    this.sensors = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SensorHistory> eldest) {
        final boolean full = size() > LiveView.this.sensorLimit;
        if (full) sensorsDropped++;
        return full;
      }
    };
  }

  /**
   * A record of the scores topic, as {@code ScoreJson} writes it. A multi-channel score is shown by its
   * first channel. A value that is not a score (another writer's mistake) is counted and skipped: it must
   * not stop the page.
   */
  void addScore(String key, byte[] value) {
    // Parsed outside the lock, so a page request never waits for JSON parsing.
    JsonNode score = null;
    SensorHistory.Point point = null;
    try {
      score = JSON.readTree(value);
      point = point(score);
    } catch (IOException | RuntimeException notAScore) {
      // counted below
    }
    synchronized (this) {
      if (point == null) {
        unreadableScores++;
        return;
      }
      final String sensorId = key != null ? key : score.path("sensorId").asText();
      final String model = score.path("model").asText("");
      sensors.computeIfAbsent(sensorId, id -> new SensorHistory(pointsPerSensor)).add(channel(score), model, point);
      readings++;
      if (point.anomaly()) anomalies++;
      if (score.hasNonNull("modelVersion") && (modelVersions.containsKey(model) || modelVersions.size() < MODELS_KEPT)) {
        modelVersions.put(model, score.get("modelVersion").asText());
      }
    }
  }

  /** One channel: plain numbers; several: objects keyed by channel, of which the first is shown. */
  private static String channel(JsonNode score) {
    return score.has("values") ? score.get("values").fieldNames().next() : "value";
  }

  private static SensorHistory.Point point(JsonNode score) {
    if (score == null || !score.hasNonNull("timestamp")) throw new IllegalArgumentException("not a score");
    final String channel = score.has("values") ? channel(score) : null;
    return new SensorHistory.Point(
        Timestamps.parse(score.get("timestamp").asText()),
        number(score, channel == null ? "value" : "values", channel),
        number(score, "expected", channel),
        number(score, "lower", channel),
        number(score, "upper", channel),
        score.path("likelihood").asDouble(),
        score.path("surprise").asDouble(),
        score.path("anomaly").asBoolean(),
        reason(score.path("reason").asText()),
        score.path("warmingUp").asBoolean());
  }

  /** The score's reason; NONE for a score without one (written before scores explained themselves). */
  private static Explanation.Reason reason(String name) {
    try {
      return Explanation.Reason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return Explanation.Reason.NONE;
    }
  }

  /** {@code score.field}, or {@code score.field.channel} for a multi-channel score; null (JSON's "no number") is NaN. */
  private static double number(JsonNode score, String field, String channel) {
    final JsonNode n = channel == null ? score.get(field) : score.path(field).get(channel);
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }

  /** A record of the dead-letter topic; {@code reason} and {@code detail} come from its headers. */
  synchronized void addDeadLetter(long timestampMillis, String key, String reason, String detail, String source,
      byte[] value) {
    final String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
    final String preview = text.length() > DEAD_LETTER_PREVIEW_CHARS
        ? text.substring(0, DEAD_LETTER_PREVIEW_CHARS) + "…" : text;
    final String why = reason == null ? "UNKNOWN" : reason;
    deadLetters.addLast(new DeadLetter(timestampMillis, key, why, detail, source, preview));
    if (deadLetters.size() > DEAD_LETTERS_KEPT) deadLetters.removeFirst();
    deadLettersByReason.merge(why, 1L, Long::sum);
  }

  /** One sensor's line in the fleet: copied under the lock, written after it. */
  private record FleetRow(String id, String channel, String model, SensorHistory.Point latest, long readings,
      long anomalies) {}

  /** {@code /api/fleet}: the counts, each model's version, and every kept sensor's latest score. */
  byte[] fleetJson() {
    final List<FleetRow> rows = new ArrayList<>();
    final long readingsNow;
    final long anomaliesNow;
    final long unreadableNow;
    final long droppedNow;
    final Map<String, String> models;
    final Map<String, Long> byReason;
    synchronized (this) {
      sensors.forEach((id, h) -> rows.add(new FleetRow(id, h.channel, h.model, h.latest, h.readings, h.anomalies)));
      readingsNow = readings;
      anomaliesNow = anomalies;
      unreadableNow = unreadableScores;
      droppedNow = sensorsDropped;
      models = new TreeMap<>(modelVersions);
      byReason = new TreeMap<>(deadLettersByReason);
    }
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("readings", readingsNow);
      g.writeNumberField("anomalies", anomaliesNow);
      g.writeNumberField("unreadableScores", unreadableNow);
      g.writeObjectFieldStart("deadLetters");
      for (Map.Entry<String, Long> e : byReason.entrySet()) g.writeNumberField(e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeObjectFieldStart("models");
      for (Map.Entry<String, String> e : models.entrySet()) g.writeStringField(e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeNumberField("anomalyThreshold", anomalyThreshold);
      g.writeNumberField("sensorLimit", sensorLimit);
      g.writeNumberField("pointsPerSensor", pointsPerSensor);
      g.writeNumberField("sensorsDropped", droppedNow);
      g.writeArrayFieldStart("sensors");
      for (FleetRow row : rows) {
        g.writeStartObject();
        g.writeStringField("id", row.id());
        g.writeStringField("channel", row.channel());
        g.writeStringField("model", row.model());
        g.writeNumberField("timestamp", row.latest().timestampMillis());
        writeNumber(g, "value", row.latest().value());
        g.writeNumberField("likelihood", row.latest().likelihood());
        g.writeNumberField("surprise", row.latest().surprise());
        g.writeBooleanField("warmingUp", row.latest().warmingUp());
        g.writeNumberField("readings", row.readings());
        g.writeNumberField("anomalies", row.anomalies());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** {@code /api/sensor?id=}: the sensor's kept points as columns, or null for a sensor not kept. */
  byte[] sensorJson(String sensorId) {
    final SensorHistory.Columns c;
    final String channel;
    final long sensorReadings;
    final long sensorAnomalies;
    synchronized (this) {
      final SensorHistory history = sensors.get(sensorId);
      if (history == null) return null;
      c = history.columns();
      channel = history.channel;
      sensorReadings = history.readings;
      sensorAnomalies = history.anomalies;
    }
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("id", sensorId);
      g.writeStringField("channel", channel);
      g.writeNumberField("readings", sensorReadings);
      g.writeNumberField("anomalies", sensorAnomalies);
      g.writeNumberField("anomalyThreshold", anomalyThreshold);
      g.writeArrayFieldStart("time");
      for (long t : c.time()) g.writeNumber(t);
      g.writeEndArray();
      writeColumn(g, "value", c.value());
      writeColumn(g, "expected", c.expected());
      writeColumn(g, "lower", c.lower());
      writeColumn(g, "upper", c.upper());
      writeColumn(g, "surprise", c.surprise());
      g.writeArrayFieldStart("anomaly");
      for (boolean a : c.anomaly()) g.writeBoolean(a);
      g.writeEndArray();
      g.writeArrayFieldStart("reason");
      for (byte r : c.reason()) {
        if (r < 0) g.writeNull();
        else g.writeString(Explanation.Reason.values()[r].name());
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** {@code /api/deadletters}: the kept dead letters, newest first. */
  byte[] deadLettersJson() {
    final List<DeadLetter> newestFirst;
    synchronized (this) {
      newestFirst = new ArrayList<>(deadLetters.size());
      for (Iterator<DeadLetter> it = deadLetters.descendingIterator(); it.hasNext(); ) newestFirst.add(it.next());
    }
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("kept", DEAD_LETTERS_KEPT);
      g.writeArrayFieldStart("deadLetters");
      for (DeadLetter d : newestFirst) {
        g.writeStartObject();
        g.writeNumberField("timestamp", d.timestampMillis());
        g.writeStringField("key", d.key());
        g.writeStringField("reason", d.reason());
        g.writeStringField("detail", d.detail());
        g.writeStringField("source", d.source());
        g.writeStringField("value", d.value());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static void writeColumn(JsonGenerator g, String name, float[] column) throws IOException {
    g.writeArrayFieldStart(name);
    for (float v : column) {
      if (Float.isFinite(v)) {
        g.writeNumber(v);
      } else {
        g.writeNull();
      }
    }
    g.writeEndArray();
  }

  private static void writeNumber(JsonGenerator g, String name, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(name, v);
    } else {
      g.writeNullField(name);
    }
  }

  private interface JsonBody {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static byte[] write(JsonBody body) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the page's JSON", e);
    }
    return out.toByteArray();
  }
}
