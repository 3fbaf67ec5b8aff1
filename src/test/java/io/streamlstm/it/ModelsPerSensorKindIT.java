package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlstm.app.AppConfig;
import io.streamlstm.app.Main;
import io.streamlstm.app.Service;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsConfig;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.SensorState;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.lstm.Network;
import io.streamlstm.streams.ModelRoutes;
import io.streamlstm.streams.ScoreJson;
import io.streamlstm.streams.Timestamps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Models per kind of sensor against a real broker: sensors routed by id glob to named models switch to each model
 * when it is published ({@code model publish --name}) and score as the offline detector does with it, re-warmed;
 * and {@code train --topic --sensors --from --publish} trains on the pumps' history in the topic, publishes the
 * model, and the running service's pumps switch to it while the other sensors keep the default.
 */
@ExtendWith(KafkaExtension.class)
class ModelsPerSensorKindIT {

  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Model SHIPPED = Models.loadDefault();

  private static long minute(int t) {
    return START + 60_000L * t;
  }

  /** A seeded noisy daily-ish cycle per sensor, different in level for each. */
  private static double value(String sensorId, int t) {
    final Random noise = new Random(sensorId.hashCode() * 31L + t);
    return 10 * (1 + sensorId.length()) + 3 * Math.sin(t / 12.0) + 0.3 * noise.nextGaussian();
  }

  private static Clients.Message reading(String sensorId, int t) {
    return new Clients.Message(sensorId, ("{\"sensorId\":\"" + sensorId + "\",\"timestamp\":\""
        + Timestamps.format(minute(t)) + "\",\"value\":" + value(sensorId, t) + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** Readings {@code from} to {@code to} (exclusive) of each sensor, interleaved as a fleet sends them. */
  private static List<Clients.Message> readings(List<String> sensors, int from, int to) {
    final List<Clients.Message> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      for (String sensor : sensors) out.add(reading(sensor, t));
    }
    return out;
  }

  @Test
  void routedSensorsSwitchToTheirPublishedModelsReWarmedAndTheRestKeepTheDefault(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    final ScoringRun run = new ScoringRun("routes");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 2);
    config.put(AppConfig.MODEL_ROUTES, "pump-*=pumps,valve-*=valves");
    final Path properties = ScoringRun.propertiesFile(dir, config);
    final Model pumps = otherModel(dir.resolve("pumps.lstm"), 5);
    final Model valves = otherModel(dir.resolve("valves.lstm"), 6);
    final List<String> sensors = List.of("pump-1", "pump-2", "valve-1", "boiler-1");

    final List<ConsumerRecord<String, String>> scores;
    final String metricsText;
    try (Metrics metrics = new Metrics(MetricsConfig.defaults());
        Service service = ScoringRun.startService(config, metrics)) {
      Clients.produce(kafka.bootstrapServers(), run.readings, readings(sensors, 0, 150));
      Clients.readCommitted(kafka.bootstrapServers(), run.scores, 600, TIMEOUT, Duration.ZERO);
      for (String name : List.of("pumps", "valves")) {
        assertEquals(0, Main.commandLine().execute("model", "publish", dir.resolve(name + ".lstm").toString(),
            "--name", name, "--config", properties.toString()));
      }
      // Once every instance's model processor has taken them (here the one), the next readings score with them.
      MetricsText.await(service, activeModel("pumps", pumps), 1, TIMEOUT);
      MetricsText.await(service, activeModel("valves", valves), 1, TIMEOUT);
      Clients.produce(kafka.bootstrapServers(), run.readings, readings(sensors, 150, 300));
      scores = Clients.readCommitted(kafka.bootstrapServers(), run.scores, 1200, TIMEOUT, Duration.ofSeconds(1));
      metricsText = MetricsText.scrape(service);
    }

    // Offline: each sensor through the shipped model, then from reading 150 its routed model's, which re-warms it.
    final ModelRoutes routes = ModelRoutes.parse(config.get(AppConfig.MODEL_ROUTES));
    final Map<String, Model> published = Map.of("pumps", pumps, "valves", valves, "default", SHIPPED);
    final Map<String, String> expected = new HashMap<>();
    for (String sensor : sensors) {
      final String name = routes.modelOf(sensor, "default");
      final Detector before = new Detector(SHIPPED, DetectorConfig.defaults());
      final Detector after = new Detector(published.get(name), DetectorConfig.defaults());
      final SensorState state = before.newState();
      for (int t = 0; t < 300; t++) {
        final Detector detector = t < 150 ? before : after;
        expected.put(ScoringRun.at(sensor, minute(t)), new String(ScoreJson.write(sensor, name,
            detector.process(state, Reading.single(minute(t), value(sensor, t))).score()), StandardCharsets.UTF_8));
      }
    }
    final Map<String, String> live = new HashMap<>();
    for (ConsumerRecord<String, String> score : scores) {
      live.put(ScoringRun.at(score.key(), Timestamps.parse(ScoringRun.parse(score.value()).get("timestamp").asText())),
          score.value());
    }
    assertEquals(expected.keySet(), live.keySet(), "one score per reading");
    for (Map.Entry<String, String> e : expected.entrySet()) assertEquals(e.getValue(), live.get(e.getKey()), e.getKey());
    final JsonNode lastPump = ScoringRun.parse(live.get(ScoringRun.at("pump-2", minute(299))));
    assertEquals("pumps", lastPump.get("model").asText());
    assertEquals(pumps.version(), lastPump.get("modelVersion").asText());
    assertEquals(SHIPPED.version(), ScoringRun.parse(live.get(ScoringRun.at("boiler-1", minute(299))))
        .get("modelVersion").asText());

    assertEquals(600.0, MetricsText.value(metricsText, "streamlstm_readings_scored_total\\{model=\"pumps\"}"));
    assertEquals(300.0, MetricsText.value(metricsText, "streamlstm_readings_scored_total\\{model=\"valves\"}"));
    assertEquals(300.0, MetricsText.value(metricsText, "streamlstm_readings_scored_total\\{model=\"default\"}"));
    assertEquals(1.0, MetricsText.value(metricsText, "streamlstm_model_switches_total\\{model=\"pumps\"}"));
    assertEquals(0.0, MetricsText.value(metricsText, "streamlstm_model_switches_total\\{model=\"default\"}"));
  }

  @Test
  void aModelTrainedOnThePumpsHistoryInTheTopicIsPublishedAndThePumpsSwitchToIt(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    final ScoringRun run = new ScoringRun("train");
    final Map<String, String> config = run.config(kafka.bootstrapServers(), dir.resolve("state"), 2);
    config.put(AppConfig.MODEL_ROUTES, "pump-*=pumps");
    final Path properties = ScoringRun.propertiesFile(dir, config);
    final List<String> sensors = List.of("pump-1", "pump-2", "valve-1");
    final List<Clients.Message> history = readings(sensors, 0, 300);
    // What the stream refuses, training leaves out: a record that is no reading, and one earlier than its sensor's last.
    history.add(400, new Clients.Message("pump-1", "not json".getBytes(StandardCharsets.UTF_8)));
    history.add(700, reading("pump-2", 60));

    final Path trainedFile = dir.resolve("pumps.lstm");
    final List<ConsumerRecord<String, String>> scores;
    final Model trained;
    try (Metrics metrics = new Metrics(MetricsConfig.defaults());
        Service service = ScoringRun.startService(config, metrics)) {
      Clients.produce(kafka.bootstrapServers(), run.readings, history);
      Clients.readCommitted(kafka.bootstrapServers(), run.scores, 900, TIMEOUT, Duration.ZERO);

      final TrainRun train = train("--bootstrap-server", kafka.bootstrapServers(), "--topic", run.readings,
          "--sensors", "pump-*", "--from", Timestamps.format(minute(50)), "--epochs", "2", "--hidden", "4",
          "--seed", "7", "--config", properties.toString(), "--publish", "pumps", "--out", trainedFile.toString());
      assertEquals(0, train.code(), train.err());
      assertTrue(train.out().contains("500 readings selected, 2 series, 0 of them too short (fewer than 2 readings), "
          + "left out {MALFORMED=1, TIME_BACKWARDS=1}"), train.out());
      trained = ModelFile.read(trainedFile);
      assertEquals("topic " + run.readings + ": 2 series, 500 readings, sensors pump-*, from "
          + Timestamps.format(minute(50)), trained.metadata().get("data"));
      assertTrue(trained.metadata().get("command").startsWith("streamlstm train --topic " + run.readings
          + " --sensors pump-* --from " + Timestamps.format(minute(50)) + " --seed 7 --epochs 2 --hidden 4"),
          trained.metadata().get("command"));

      MetricsText.await(service, activeModel("pumps", trained), 1, TIMEOUT);
      Clients.produce(kafka.bootstrapServers(), run.readings, readings(sensors, 300, 350));
      scores = Clients.readCommitted(kafka.bootstrapServers(), run.scores, 1050, TIMEOUT, Duration.ofSeconds(1));
    }

    // The same series from CSV files train the same network: the topic's selection is each pump's readings from
    // minute 50, in order, without the refused ones.
    final Path csv = Files.createDirectory(dir.resolve("csv"));
    for (String pump : List.of("pump-1", "pump-2")) {
      final StringBuilder rows = new StringBuilder("timestamp,value\n");
      for (int t = 50; t < 300; t++) rows.append(minute(t)).append(',').append(value(pump, t)).append('\n');
      Files.writeString(csv.resolve(pump + ".csv"), rows);
    }
    final Path fromCsv = dir.resolve("from-csv.lstm");
    assertEquals(0, train("--input", csv.toString(), "--epochs", "2", "--hidden", "4", "--seed", "7", "--out",
        fromCsv.toString()).code());
    assertArrayEquals(ModelFile.read(fromCsv).network().parameters(), trained.network().parameters());

    assertEquals(1050, scores.size());
    for (ConsumerRecord<String, String> record : scores) {
      final JsonNode score = ScoringRun.parse(record.value());
      final boolean afterPublish = Timestamps.parse(score.get("timestamp").asText()) >= minute(300);
      final boolean pump = record.key().startsWith("pump-");
      assertEquals(pump ? "pumps" : "default", score.get("model").asText(), record.value());
      assertEquals(pump && afterPublish ? trained.version() : SHIPPED.version(), score.get("modelVersion").asText(),
          record.value());
    }
  }

  /** The info series saying that the model named {@code name} scores with {@code model}'s version. */
  private static String activeModel(String name, Model model) {
    return "streamlstm_model_active\\{model=\"" + name + "\",version=\"" + model.version() + "\"}";
  }

  private record TrainRun(int code, String out, String err) {}

  private static TrainRun train(String... args) {
    final CommandLine cli = Main.commandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    final String[] full = new String[args.length + 1];
    full[0] = "train";
    System.arraycopy(args, 0, full, 1, args.length);
    return new TrainRun(cli.execute(full), out.toString(), err.toString());
  }

  /** A model of the shipped architecture with weights from {@code seed}, written to {@code file}. */
  private static Model otherModel(Path file, long seed) {
    return ModelFile.write(file, Network.initialise(SHIPPED.network().architecture(), seed), SHIPPED.normalisation(),
        Map.of("seed", Long.toString(seed)));
  }
}
