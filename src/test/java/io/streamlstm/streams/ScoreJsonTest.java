package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A score's JSON reads back, with a standard parser, as exactly the score that was written. */
class ScoreJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Score score(String[] channels, double[] values, double likelihood) {
    final int n = channels.length;
    final double[] expected = new double[n];
    final double[] lower = new double[n];
    final double[] upper = new double[n];
    final double[] shares = new double[n];
    for (int c = 0; c < n; c++) {
      expected[c] = values[c] * 0.9;
      lower[c] = expected[c] - 1e-7;
      upper[c] = expected[c] + 12345.678;
      shares[c] = 1.0 / n;
    }
    return new Score(1_767_225_600_123L, channels, values, expected, lower, upper, new double[n], shares, likelihood,
        -Math.log10(1 - likelihood), likelihood > 0.5, false, "0071ba0c124a",
        new Explanation(Explanation.Reason.LEVEL, channels[n - 1], -4.5, 3.0, 2.5, 3.5));
  }

  private static JsonNode read(byte[] bytes) throws IOException {
    return JSON.readTree(bytes);
  }

  @Test
  void everyDoubleReadsBackToTheBit() throws IOException {
    final SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k < 5_000; k++) {
      final double value = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(value)) continue;
      final double likelihood = random.nextDouble();
      final JsonNode node = read(ScoreJson.write("s", "default", score(new String[] {Reading.VALUE}, new double[] {value},
          likelihood)));
      assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(node.get("value").asDouble()));
      assertEquals(Double.doubleToRawLongBits(likelihood),
          Double.doubleToRawLongBits(node.get("likelihood").asDouble()));
    }
  }

  /**
   * The writer copies the text of a double it already wrote in the object (a reference band that is the forecast
   * band): drawn from a few values, so that most repeat, beyond the writer's memory of eight, every number still
   * reads back as its own.
   */
  @Test
  void repeatedDoublesReadBackAsThemselves() throws IOException {
    final SplittableRandom random = new SplittableRandom(11);
    final double[] pool = new double[4];
    for (int k = 0; k < 2_000; k++) {
      for (int p = 0; p < pool.length; p++) pool[p] = Double.longBitsToDouble(random.nextLong(0x7FE0000000000000L));
      final String[] channels = random.nextBoolean() ? new String[] {Reading.VALUE} : new String[] {"a", "b", "c"};
      final int n = channels.length;
      final double[][] fields = new double[5][n];
      for (double[] field : fields) {
        for (int c = 0; c < n; c++) field[c] = pool[random.nextInt(pool.length)];
      }
      final double[] reference = new double[4];
      for (int r = 0; r < reference.length; r++) reference[r] = pool[random.nextInt(pool.length)];
      final Score score = new Score(0, channels, fields[0], fields[1], fields[2], fields[3], new double[n], fields[4],
          0.5, reference[0], false, false, "m",
          new Explanation(Explanation.Reason.SUDDEN_ERROR, channels[0], reference[1], reference[2], reference[3],
              fields[1][0]));
      final JsonNode node = read(ScoreJson.write("s", "default", score));
      final boolean single = n == 1;
      final String[] names = single ? new String[] {"value", "expected", "lower", "upper"}
          : new String[] {"values", "expected", "lower", "upper", "channelShares"};
      for (int f = 0; f < names.length; f++) {
        for (int c = 0; c < n; c++) {
          final JsonNode number = single ? node.get(names[f]) : node.get(names[f]).get(channels[c]);
          assertEquals(Double.doubleToRawLongBits(fields[f][c]), Double.doubleToRawLongBits(number.asDouble()));
        }
      }
      assertEquals(reference[0], node.get("surprise").asDouble());
      assertEquals(reference[1], node.get("deviation").asDouble());
      assertEquals(reference[2], node.get("referenceExpected").asDouble());
      assertEquals(reference[3], node.get("referenceLower").asDouble());
      assertEquals(fields[1][0], node.get("referenceUpper").asDouble());
    }
  }

  @Test
  void singleChannelFieldsAreAllThere() throws IOException {
    final JsonNode node =
        read(ScoreJson.write("pump-7", "default", score(new String[] {Reading.VALUE}, new double[] {2.5}, 0.999)));
    assertEquals(List.of("sensorId", "timestamp", "value", "expected", "lower", "upper", "likelihood", "surprise",
        "reason", "deviation", "referenceExpected", "referenceLower", "referenceUpper", "anomaly", "warmingUp",
        "model", "modelVersion"), fieldNames(node));
    assertEquals(-Math.log10(1 - 0.999), node.get("surprise").asDouble());
    assertEquals("LEVEL", node.get("reason").asText());
    assertEquals(-4.5, node.get("deviation").asDouble());
    assertEquals(2.5, node.get("referenceLower").asDouble());
    assertEquals("pump-7", node.get("sensorId").asText());
    assertEquals("2026-01-01T00:00:00.123Z", node.get("timestamp").asText());
    assertEquals(2.25, node.get("expected").asDouble());
    assertTrue(node.get("anomaly").asBoolean());
    assertEquals("default", node.get("model").asText());
    assertEquals("0071ba0c124a", node.get("modelVersion").asText());
  }

  @Test
  void notFiniteNumbersAreNull() throws IOException {
    final Score warmingUp = new Score(0, new String[] {Reading.VALUE}, new double[] {1}, new double[] {Double.NaN},
        new double[] {Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY}, new double[] {Double.NaN},
        new double[] {1}, 0, 0, false, true, "m",
        new Explanation(Explanation.Reason.NONE, Reading.VALUE, 0, Double.NaN, Double.NaN, Double.NaN));
    final JsonNode node = read(ScoreJson.write("s", "default", warmingUp));
    assertTrue(node.get("expected").isNull());
    assertTrue(node.get("lower").isNull());
    assertTrue(node.get("upper").isNull());
    assertEquals(1.0, node.get("value").asDouble());
  }

  @Test
  void namesAndIdsOfAnyTextSurviveEscaping() throws IOException {
    final SplittableRandom random = new SplittableRandom(9);
    final List<String> awkward = List.of("", "quote\"d", "back\\slash", "line\nbreak\ttab\u0000nul\u001f", "température",
        "センサー", "emoji \uD83D\uDE00 pair", "\u2028\u2029", "</script>");
    for (String id : awkward) {
      final JsonNode node =
          read(ScoreJson.write(id, "default", score(new String[] {id + "-a", id + "-b"}, new double[] {1, 2}, 0)));
      assertEquals(id, node.get("sensorId").asText());
      assertEquals(List.of(id + "-a", id + "-b"), fieldNames(node.get("values")));
      assertEquals(1.8, node.get("expected").get(id + "-b").asDouble());
      assertEquals(0.5, node.get("channelShares").get(id + "-a").asDouble());
    }
    for (int k = 0; k < 2_000; k++) {
      final StringBuilder id = new StringBuilder();
      for (int c = random.nextInt(12); c > 0; c--) id.appendCodePoint(randomCodePoint(random));
      final String text = id.toString();
      assertEquals(text, read(ScoreJson.write(text, "default", score(new String[] {Reading.VALUE}, new double[] {1}, 0)))
          .get("sensorId").asText());
    }
  }

  /** Control characters, ASCII, two- and three-byte UTF-8 and supplementary characters, never lone surrogates. */
  private static int randomCodePoint(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(0x80);
      case 1 -> random.nextInt(0x80, 0x800);
      case 2 -> random.nextBoolean() ? random.nextInt(0x800, 0xD800) : random.nextInt(0xE000, 0x10000);
      default -> random.nextInt(0x10000, 0x110000);
    };
  }

  private static List<String> fieldNames(JsonNode node) {
    final List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
