package io.streamlstm.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.HttpEndpoint;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;
import io.streamlstm.streams.ScoreJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live page's routes over real HTTP, fed with scores in the service's own wire format
 * ({@link ScoreJson}): what the rings keep, what they drop, and what the JSON says.
 */
class LivePageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SENSORS_KEPT = 3;
  private static final int POINTS_KEPT = 5;

  private final HttpClient http = HttpClient.newHttpClient();
  private LiveView view;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    view = new LiveView(SENSORS_KEPT, POINTS_KEPT, 0.998);
    endpoint = HttpEndpoint.start("127.0.0.1", 0);
    LivePage.routes(view).forEach(endpoint::route);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<byte[]> response = get(path);
    assertEquals(200, response.statusCode(), path + ": " + new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    return JSON.readTree(response.body());
  }

  private static Score score(long t, double value, double likelihood, boolean anomaly, boolean warmingUp) {
    return new Score(t, new String[] {"value"}, new double[] {value}, new double[] {value - 0.5},
        new double[] {value - 2}, new double[] {value + 2}, new double[] {0.5}, new double[] {1.0},
        likelihood, -Math.log10(1 - likelihood), anomaly, warmingUp, "model-a",
        new Explanation(Explanation.Reason.SUDDEN_ERROR, "value", 0.25, value - 0.5, value - 2, value + 2));
  }

  private void add(String sensor, Score score) {
    view.addScore(sensor, ScoreJson.write(sensor, "default", score));
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  @Test
  void aSensorKeepsItsNewestPointsOldestFirstWithAnomaliesAndSurprise() throws Exception {
    for (int k = 1; k <= 8; k++) add("pump-1", score(k * 1000L, k, k == 7 ? 0.999 : 0.5, k == 7, false));

    JsonNode sensor = getJson("/api/sensor?id=pump-1");
    assertEquals(8, sensor.get("readings").asLong(), "every reading is counted, also those no longer kept");
    assertEquals(1, sensor.get("anomalies").asLong());
    assertEquals(List.of(4000L, 5000L, 6000L, 7000L, 8000L), longs(sensor.get("time")), "the ring keeps the newest");
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), longs(sensor.get("value")));
    assertEquals(6.5, sensor.get("expected").get(3).asDouble());
    assertEquals(5.0, sensor.get("lower").get(3).asDouble());
    assertEquals(9.0, sensor.get("upper").get(3).asDouble());
    assertEquals(List.of(false, false, false, true, false),
        List.of(sensor.get("anomaly").get(0).asBoolean(), sensor.get("anomaly").get(1).asBoolean(),
            sensor.get("anomaly").get(2).asBoolean(), sensor.get("anomaly").get(3).asBoolean(),
            sensor.get("anomaly").get(4).asBoolean()));
    assertEquals(3.0, sensor.get("surprise").get(3).asDouble(), 1e-5, "−log10(1 − 0.999)");
    assertEquals(Math.log10(2), sensor.get("surprise").get(0).asDouble(), 1e-6, "−log10(1 − 0.5)");
  }

  @Test
  void aScoreWithNothingPredictedYetHasNullsNotNaN() throws Exception {
    Score first = new Score(1000L, new String[] {"value"}, new double[] {3.0}, new double[] {Double.NaN},
        new double[] {Double.NaN}, new double[] {Double.NaN}, new double[] {Double.NaN}, new double[] {1.0},
        0.0, 0.0, false, true, "model-a",
        new Explanation(Explanation.Reason.NONE, "value", 0, Double.NaN, Double.NaN, Double.NaN));
    add("pump-1", first);

    JsonNode sensor = getJson("/api/sensor?id=pump-1");
    assertTrue(sensor.get("expected").get(0).isNull());
    assertEquals(0.0, sensor.get("surprise").get(0).asDouble());
    JsonNode row = getJson("/api/fleet").get("sensors").get(0);
    assertTrue(row.get("warmingUp").asBoolean());
    assertEquals("0.0", row.get("surprise").asText(), "a likelihood of 0 is a surprise of 0, not -0");
  }

  @Test
  void aSensorWarmingUpHasItsReadingsChartedButNoBandYet() throws Exception {
    add("pump-1", score(1000, 5, 0.0, false, true));
    add("pump-1", score(2000, 6, 0.3, false, false));

    JsonNode sensor = getJson("/api/sensor?id=pump-1");
    assertEquals(5.0, sensor.get("value").get(0).asDouble());
    assertTrue(sensor.get("expected").get(0).isNull() && sensor.get("lower").get(0).isNull()
        && sensor.get("upper").get(0).isNull(), "warming up: " + sensor);
    assertEquals(8.0, sensor.get("upper").get(1).asDouble(), "warmed up: the band");
  }

  @Test
  void theFleetKeepsTheMostRecentlyScoredSensorsAndCountsEverything() throws Exception {
    add("pump-1", score(1000, 1, 0.1, false, false));
    add("pump-2", score(1000, 2, 0.9995, true, false));
    add("pump-3", score(1000, 3, 0.2, false, false));
    add("pump-1", score(2000, 1.5, 0.3, false, false)); // pump-2 is now the one scored longest ago
    add("pump-4", score(1000, 4, 0.4, false, false));
    view.addDeadLetter(5000, "pump-9", "MALFORMED", "not JSON", "in/0@7", "{oops".getBytes(StandardCharsets.UTF_8));
    view.addDeadLetter(6000, "pump-9", "NOT_FINITE", "NaN", "in/0@8", "{}".getBytes(StandardCharsets.UTF_8));
    view.addDeadLetter(7000, "pump-9", "MALFORMED", "no value", "in/1@2", "{}".getBytes(StandardCharsets.UTF_8));

    JsonNode fleet = getJson("/api/fleet");
    List<String> ids = new ArrayList<>();
    fleet.get("sensors").forEach(s -> ids.add(s.get("id").asText()));
    assertEquals(List.of("pump-3", "pump-1", "pump-4"), ids, "at most " + SENSORS_KEPT + ", pump-2 dropped");
    assertEquals(1, fleet.get("sensorsDropped").asLong());
    assertEquals(5, fleet.get("readings").asLong());
    assertEquals(1, fleet.get("anomalies").asLong(), "counts survive the sensor that had them");
    assertEquals(2, fleet.get("deadLetters").get("MALFORMED").asLong());
    assertEquals(1, fleet.get("deadLetters").get("NOT_FINITE").asLong());
    assertEquals("{\"default\":\"model-a\"}", fleet.get("models").toString());
    assertEquals(0.998, fleet.get("anomalyThreshold").asDouble());
    JsonNode pump1 = fleet.get("sensors").get(1);
    assertEquals(1.5, pump1.get("value").asDouble(), "the latest reading");
    assertEquals(2000, pump1.get("timestamp").asLong());
    assertEquals(2, pump1.get("readings").asLong());
    assertEquals("default", pump1.get("model").asText());
    assertEquals(404, get("/api/sensor?id=pump-2").statusCode(), "a dropped sensor's points are gone");
  }

  @Test
  void eachModelNameShowsTheVersionOfItsLatestScoreAndEachSensorItsModel() throws Exception {
    add("valve-1", score(1000, 1.0, 0.5, false, false));
    Score pumpsModel = new Score(1000L, new String[] {"value"}, new double[] {1}, new double[] {1},
        new double[] {0}, new double[] {2}, new double[] {0}, new double[] {1}, 0.5, Math.log10(2), false, false,
        "model-p", new Explanation(Explanation.Reason.NONE, "value", 0, 1, 0, 2));
    view.addScore("pump-1", ScoreJson.write("pump-1", "pumps", pumpsModel));
    view.addScore("pump-2", ScoreJson.write("pump-2", "pumps", pumpsModel));

    JsonNode fleet = getJson("/api/fleet");
    assertEquals("{\"default\":\"model-a\",\"pumps\":\"model-p\"}", fleet.get("models").toString());
    Map<String, String> modelOf = new TreeMap<>();
    fleet.get("sensors").forEach(s -> modelOf.put(s.get("id").asText(), s.get("model").asText()));
    assertEquals(Map.of("pump-1", "pumps", "pump-2", "pumps", "valve-1", "default"), modelOf);
  }

  @Test
  void aMultiChannelScoreIsShownByItsFirstChannel() throws Exception {
    Score multi = new Score(1000L, new String[] {"temp", "vibration"}, new double[] {71.2, 0.31},
        new double[] {70.0, 0.3}, new double[] {68.0, 0.1}, new double[] {72.0, 0.5}, new double[] {1.2, 0.01},
        new double[] {0.7, 0.3}, 0.2, -Math.log10(0.8), false, false, "model-b",
        new Explanation(Explanation.Reason.NONE, "temp", 0, 70.0, 68.0, 72.0));
    add("press-1", multi);

    JsonNode sensor = getJson("/api/sensor?id=press-1");
    assertEquals("temp", sensor.get("channel").asText());
    assertEquals(71.2f, sensor.get("value").get(0).floatValue());
    assertEquals(68.0, sensor.get("lower").get(0).asDouble());
  }

  @Test
  void aRecordThatIsNotAScoreIsCountedAndSkipped() throws Exception {
    view.addScore("x", "not json".getBytes(StandardCharsets.UTF_8));
    view.addScore("x", "{\"sensorId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    view.addScore("x", "{\"timestamp\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8));

    JsonNode fleet = getJson("/api/fleet");
    assertEquals(3, fleet.get("unreadableScores").asLong());
    assertEquals(0, fleet.get("readings").asLong());
    assertEquals(0, fleet.get("sensors").size());
  }

  @Test
  void deadLettersAreTheNewestFirstWithAPreviewOfTheRecord() throws Exception {
    String longRecord = "x".repeat(LiveView.DEAD_LETTER_PREVIEW_CHARS + 50);
    for (int k = 0; k < LiveView.DEAD_LETTERS_KEPT + 5; k++) {
      view.addDeadLetter(k, "key-" + k, "MALFORMED", "detail " + k, "in/0@" + k,
          longRecord.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode letters = getJson("/api/deadletters").get("deadLetters");
    assertEquals(LiveView.DEAD_LETTERS_KEPT, letters.size());
    JsonNode newest = letters.get(0);
    assertEquals("key-" + (LiveView.DEAD_LETTERS_KEPT + 4), newest.get("key").asText());
    assertEquals("MALFORMED", newest.get("reason").asText());
    assertEquals("in/0@" + (LiveView.DEAD_LETTERS_KEPT + 4), newest.get("source").asText());
    assertEquals(LiveView.DEAD_LETTER_PREVIEW_CHARS + 1, newest.get("value").asText().length(), "cut, with an ellipsis");
    assertEquals("key-5", letters.get(letters.size() - 1).get("key").asText(), "the oldest five are gone");
    assertEquals(205, getJson("/api/fleet").get("deadLetters").get("MALFORMED").asLong());
  }

  @Test
  void servesThePageAndTheChartLibraryFromTheJarAndNothingElse() throws Exception {
    HttpResponse<byte[]> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    String html = new String(page.body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("/static/uPlot.iife.min.js") && html.contains("/static/app.js"), html);
    assertFalse(html.contains("http://") || html.contains("https://"), "nothing fetched from elsewhere");

    HttpResponse<byte[]> uplot = get("/static/uPlot.iife.min.js");
    assertEquals(200, uplot.statusCode());
    assertTrue(new String(uplot.body(), StandardCharsets.UTF_8).contains("uPlot"));
    assertTrue(uplot.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
    assertEquals(200, get("/static/uPlot.min.css").statusCode());
    assertEquals(200, get("/static/style.css").statusCode());
    assertEquals(200, get("/static/charts.js").statusCode());

    assertEquals(404, get("/static/../pom.xml").statusCode());
    assertEquals(404, get("/elsewhere").statusCode());
    assertEquals(400, get("/api/sensor").statusCode());
    assertEquals(404, get("/api/sensor?id=never-seen").statusCode());
  }
}
