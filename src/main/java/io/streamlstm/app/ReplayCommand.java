package io.streamlstm.app;

import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.detect.nab.NabWindows;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.ActiveModels;
import io.streamlstm.streams.AlertFilter;
import io.streamlstm.streams.BadReadingException;
import io.streamlstm.streams.EpisodeEvent;
import io.streamlstm.streams.EpisodeTracker;
import io.streamlstm.streams.FeedbackJson;
import io.streamlstm.streams.ReadingScorer;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.Timestamps;
import io.streamlstm.streams.TopicRange;
import io.streamlstm.streams.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamlstm replay}: scores a time range of a topic offline, with the service's parsing, refusal
 * rules and detector, one sensor state per sensor starting empty. Replaying a topic from its beginning
 * gives the scores the service gave (same model, same detector settings), and the episode events it wrote to
 * the anomalies topic; with the service's rules file and its feedback topic, the same marks of suppressed readings.
 * Every label on the feedback topic is read first: each takes effect at a point fixed by itself, so whether it
 * came before, among or after the readings does not matter.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Score a time range of a Kafka topic offline into a CSV file, as the service would.")
public final class ReplayCommand implements Callable<Integer> {

  static final String HEADER = "sensor,timestamp,channel,value,expected,lower,upper,likelihood,surprise,reason,anomaly,warmingUp,"
      + "model,modelVersion,suppressed";

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "Overrides bootstrap.servers.")
  String bootstrapServers;

  @Option(names = "--topic", description = "Topic of readings (default: streamlstm.input.topic, sensor-readings).")
  String topic;

  @Option(names = "--from", paramLabel = "TIME", description = "First record by its Kafka timestamp (when produced), ISO-8601 or epoch ms (default: the beginning).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Last record by its Kafka timestamp, inclusive (default: the end as of now).")
  String to;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV of scores, one row per channel.")
  Path out;

  @Option(names = "--labels", paramLabel = "FILE.json",
      description = "Labelled windows to shade in the reports, NAB's combined_windows.json layout, keyed by sensor id.")
  Path labels;

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Also an HTML report per sensor (as 'score --report'); several sensors give FILE-<sensor>.html.")
  Path report;

  @Option(names = "--episodes", paramLabel = "FILE",
      description = "Also the episode events (opened, updated, closed), one JSON object a line, as the service writes them to the anomalies topic.")
  Path episodes;

  @Option(names = "--model", paramLabel = "FILE",
      description = "Model file (default: the service's model from the model topic, else the shipped default).")
  Path model;

  @Option(names = "--config", paramLabel = "FILE", description = "The service's properties file (topics, detector, security).")
  Path config;

  @Option(names = "--rules", paramLabel = "FILE",
      description = "Rules file (default: streamlstm.rules.file of the configuration, else none).")
  Path rules;

  @Option(names = "--feedback-topic", paramLabel = "TOPIC",
      description = "Topic of labels (default: streamlstm.feedback.topic, sensor-feedback; none if it does not exist).")
  String feedbackTopic;

  @Override
  public Integer call() throws IOException {
    AppConfig appConfig = AppConfig.load(config, System.getenv());
    if (bootstrapServers != null) appConfig = appConfig.withBootstrapServers(bootstrapServers);
    final String readingsTopic = topic != null ? topic : appConfig.settings().inputTopic();
    final long fromMillis = from == null ? Long.MIN_VALUE : Timestamps.parse(from);
    final long toMillis = to == null ? Long.MAX_VALUE : Timestamps.parse(to);

    final Properties consumerSettings = appConfig.clientSettings(ConsumerConfig.configNames());
    // Only what the service's transactions committed, as the service's own consumers see it.
    consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerSettings.remove(ConsumerConfig.GROUP_ID_CONFIG);

    final Map<String, Long> deadLetters = new TreeMap<>();
    final long[] rows = {0};
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        BufferedWriter csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        OutputStream events = episodes == null ? OutputStream.nullOutputStream() : Files.newOutputStream(episodes)) {
      final ActiveModels models = new ActiveModels(shippedModel(appConfig), appConfig.settings().modelName(),
          appConfig.settings().modelRoutes(), appConfig.settings().detector(), ScoringObserver.NONE);
      if (model == null) latestPublished(consumer, appConfig, models);
      final Map<String, byte[]> states = new HashMap<>();
      final ReadingScorer scorer =
          new ReadingScorer(models, appConfig.settings(), ScoringObserver.NONE, states::get, states::put);
      final Path rulesFile = rules != null ? rules : appConfig.rulesFile();
      final RuleSet ruleSet = rulesFile == null ? RuleSet.NONE : RulesFile.read(rulesFile);
      final AlertFilter alerts = AlertFilter.inMemory(() -> ruleSet, appConfig.settings().feedback(), states);
      final long[] labels = readLabels(consumer, appConfig, alerts);
      final long[] suppressed = {0};
      final Map<String, byte[]> openEpisodes = new HashMap<>();
      final EpisodeTracker tracker =
          new EpisodeTracker(appConfig.settings().episodes(), openEpisodes::get, openEpisodes::put);
      final Map<String, List<Score>> bySensor = new LinkedHashMap<>(); // kept only for the report
      csv.write(HEADER);
      csv.newLine();
      final long records = TopicRange.read(consumer, readingsTopic, fromMillis, toMillis, record -> {
        final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        // Against the record's own Kafka time, as the service's timestamp extractor and scorer judge it.
        final Verdict verdict = scorer.score(key, record.value(), record.timestamp());
        if (verdict.isScored()) {
          final String mark = alerts.judge(verdict.sensorId(), verdict.score());
          if (mark != null) suppressed[0]++;
          rows[0] += write(csv, verdict.sensorId(), verdict.model(), verdict.score(), mark);
          final EpisodeEvent event =
              tracker.track(verdict.sensorId(), verdict.score(), verdict.score().anomaly() && mark == null);
          if (event != null) writeLine(events, event.toJson());
          if (report != null) bySensor.computeIfAbsent(verdict.sensorId(), id -> new ArrayList<>()).add(verdict.score());
        } else {
          deadLetters.merge(verdict.reason(), 1L, Long::sum);
        }
      });
      System.out.printf("replayed %d records of %s with %s: %d score rows to %s, refused %s%n", records,
          readingsTopic, modelsInUse(models), rows[0], out, deadLetters);
      System.out.printf("%d rules, %d labels (%d refused), %d flagged readings suppressed%n", ruleSet.size(), labels[0],
          labels[1], suppressed[0]);
      if (report != null) writeReports(bySensor, appConfig.settings().detector());
    }
    return 0;
  }

  /** One page per sensor, from the readings it had scored: the given file, or FILE-<sensor>.html for several. */
  private void writeReports(Map<String, List<Score>> bySensor, DetectorConfig detector)
      throws IOException {
    final NabWindows windows = labels == null ? null : NabWindows.read(labels);
    final String stem = report.getFileName().toString().replaceFirst("\\.html?$", "");
    for (Map.Entry<String, List<Score>> sensor : bySensor.entrySet()) {
      final Score[] scores = sensor.getValue().toArray(new Score[0]);
      final long[] timestamps = new long[scores.length];
      final double[][] values = new double[scores.length][];
      for (int t = 0; t < scores.length; t++) {
        timestamps[t] = scores[t].timestampMillis();
        values[t] = scores[t].values();
      }
      final SeriesCsv.Series series = new SeriesCsv.Series(sensor.getKey(), scores[0].channels(), timestamps, values);
      final Path page = bySensor.size() == 1 ? report
          : report.resolveSibling(stem + "-" + sensor.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".html");
      // Each sensor's page names the model of its last score: sensors may be routed to different models.
      final String modelVersion = scores[scores.length - 1].modelVersion();
      Files.writeString(page, ScoreReport.html(series, scores, modelVersion, detector.anomalyThreshold(),
          windows == null ? List.of() : windows.named(sensor.getKey())));
      System.out.println("report for " + sensor.getKey() + ": " + page);
    }
  }

  private Model shippedModel(AppConfig appConfig) {
    if (model != null) return ModelFile.read(model);
    return appConfig.modelFile() == null ? Models.loadDefault() : ModelFile.read(appConfig.modelFile());
  }

  /** "model default 0071ba0c124a, pumps 5f2e9a0b7c1d": each followed name and the version it scored with. */
  private static String modelsInUse(ActiveModels models) {
    final List<String> inUse = new ArrayList<>();
    for (int slot = 0; slot < models.names().size(); slot++) {
      inUse.add(models.name(slot) + " " + models.current(slot).version());
    }
    return "model " + String.join(", ", inUse);
  }

  /** Offers every record of the service's models to {@code models}, as its global store does: the last good one wins. */
  private static void latestPublished(KafkaConsumer<byte[], byte[]> consumer, AppConfig appConfig, ActiveModels models) {
    final String modelTopic = appConfig.settings().modelTopic();
    if (consumer.partitionsFor(modelTopic).isEmpty()) return;
    TopicRange.read(consumer, modelTopic, Long.MIN_VALUE, Long.MAX_VALUE, record -> {
      final String name = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      if (name != null && models.follows(name)) models.update(name, record.value(), "model record '" + name + "'");
    });
  }

  /**
   * Every label of the feedback topic, handed to {@code alerts} as the service's intake would hand it on; returns
   * how many were taken and how many refused.
   */
  private long[] readLabels(KafkaConsumer<byte[], byte[]> consumer, AppConfig appConfig, AlertFilter alerts) {
    final String topic = feedbackTopic != null ? feedbackTopic : appConfig.settings().feedback().topic();
    final long[] counts = {0, 0};
    if (consumer.partitionsFor(topic).isEmpty()) {
      System.out.println("no feedback topic " + topic + ": no labels");
      return counts;
    }
    final Duration delay = appConfig.settings().feedback().delay();
    TopicRange.read(consumer, topic, Long.MIN_VALUE, Long.MAX_VALUE, record -> {
      final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      try {
        final FeedbackJson.SensorFeedback label = FeedbackJson.parse(key, record.value(), record.timestamp(), delay);
        alerts.received(label.sensorId(), label.feedback());
        counts[0]++;
      } catch (BadReadingException e) {
        counts[1]++;
      }
    });
    return counts;
  }

  /** One row per channel; returns the number of rows. */
  private static int write(BufferedWriter csv, String sensorId, String model, Score score, String suppressed) {
    try {
      for (int c = 0; c < score.channels().length; c++) {
        csv.write(String.join(",", cell(sensorId), Timestamps.format(score.timestampMillis()), cell(score.channels()[c]),
            Double.toString(score.values()[c]), Double.toString(score.expected()[c]),
            Double.toString(score.lower()[c]), Double.toString(score.upper()[c]),
            Double.toString(score.likelihood()), Double.toString(score.surprise()),
            score.explanation().reason().name(), Boolean.toString(score.anomaly()),
            Boolean.toString(score.warmingUp()), cell(model), score.modelVersion(),
            suppressed == null ? "" : cell(suppressed)));
        csv.newLine();
      }
      return score.channels().length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeLine(OutputStream out, byte[] line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CSV cell: quoted when the text holds a comma, quote or line break (sensor ids are free text). */
  static String cell(String text) {
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
