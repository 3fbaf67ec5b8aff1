package io.streamlstm.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.metrics.Metrics;
import io.streamlstm.app.metrics.MetricsConfig;
import io.streamlstm.app.web.LivePage;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.Anomaly;
import io.streamlstm.detect.simulation.AnomalyKind;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.EpisodeEvent;
import io.streamlstm.streams.EpisodeSettings;
import io.streamlstm.streams.EpisodeTracker;
import io.streamlstm.streams.StreamSettings;
import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamlstm demo}: everything in one process. A real Kafka broker, the scoring service, the
 * simulator feeding it, and the anomaly episodes printed as the service opens, updates and closes them.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Starts a Kafka broker in this process, the scoring service and simulated sensors with injected "
            + "faults, and prints each anomaly episode as it opens, reaches a new peak and closes.",
        "Other clients can connect to the broker on 127.0.0.1:--kafka-port while it runs "
            + "(topics sensor-readings, anomaly-scores, anomalies, sensor-readings-dlq)."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--duration", description = "Stop after this many seconds (default: until Ctrl-C).")
  Double durationSeconds;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--http-port", defaultValue = "8080", description = "Port of the live page, /health, /ready and /metrics; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--sensors", defaultValue = "10", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
  int sensors;

  @Option(names = "--rate", defaultValue = "500", description = "Readings per second over all sensors (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--offline", description = "No broker and no service: the same simulated readings (--duration "
      + "times --rate of them) go through the detector and the episode tracker in this process, and the same summary "
      + "is printed at once. For measuring detection on the simulator's faults.")
  boolean offline;

  @Option(names = "--faults", description = "At the end, also print each injected fault, whether an episode "
      + "covered it, and the highest score the sensor got during it (its likelihood, the evidence and how many "
      + "spreads off): why a fault was missed. Live, it needs --duration: it keeps every score until the end.")
  boolean faults;

  /** Where the demo prints; the tests read it. */
  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (faults && durationSeconds == null) throw new IllegalArgumentException("--faults needs --duration");
    if (offline) return offline();
    // The demo's own lines are the show: Kafka's and the service's logs only when something is wrong.
    EmbeddedKafka.logLevelUnlessSet("org.apache.kafka", "error");
    EmbeddedKafka.logLevelUnlessSet("io.streamlstm", "warn");
    EmbeddedKafka.quietLogs();
    Path stateDir = Files.createTempDirectory("streamlstm-demo-state-");
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      stop.set(true);
      awaitQuietly(finished);
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaPort)) {
      out.println("Kafka broker on " + kafka.bootstrapServers());
      StreamSettings topics = StreamSettings.defaults();
      Summary summary = run(kafka.bootstrapServers(), stateDir, topics, stop);
      summary.print(out, topics);
      if (faults) summary.printFaults(out);
      return 0;
    } finally {
      deleteRecursively(stateDir);
      finished.countDown();
      if (!stop.get()) Runtime.getRuntime().removeShutdownHook(onCtrlC);
    }
  }

  private Summary run(String bootstrapServers, Path stateDir, StreamSettings topics, AtomicBoolean stop)
      throws InterruptedException {
    Map<String, String> settings = new HashMap<>();
    settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamlstm-demo");
    settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(AppConfig.TOPIC_PARTITIONS, "2");
    Summary summary = new Summary();
    Metrics metrics = new Metrics(MetricsConfig.defaults());
    AppConfig config = AppConfig.from(settings);
    try (metrics; Service service = Service.create(config, metrics.observer(), httpPort);
         LivePage page = LivePage.serve(service, config)) {
      metrics.bindTo(service);
      service.start();
      String http = "http://localhost:" + service.httpPort();
      out.println("Scoring service started; live page on " + http + "/ (health on " + http + "/health, metrics on /metrics)");
      awaitRunning(service, stop);

      Simulation simulation = new Simulation(sensors, seed);
      Thread printer = new Thread(() -> printEpisodes(bootstrapServers, topics, stop, summary), "demo-episodes");
      printer.start();
      out.printf("Simulating %d sensors at %.0f readings/s%s; anomaly episodes as they are found:%n", sensors, rate,
          durationSeconds == null ? " (Ctrl-C stops)" : " for " + durationSeconds + " s");
      long maxNanos = durationSeconds == null ? Long.MAX_VALUE : (long) (durationSeconds * 1e9);
      try (KafkaProducer<String, byte[]> producer = SimulateCommand.producer(bootstrapServers)) {
        summary.sent = SimulateCommand.send(simulation, producer, topics.inputTopic(), rate, Long.MAX_VALUE, maxNanos, stop);
      }
      summary.truth = simulation.groundTruth();
      awaitScored(summary, Duration.ofSeconds(10));
      stop.set(true);
      printer.join();
    }
    return summary;
  }

  /**
   * The readings a live run of {@code --duration} would send at {@code --rate}, scored as the stream scores them
   * (one detector, each sensor's state, the episode tracker over the scores), without Kafka.
   */
  private int offline() {
    if (durationSeconds == null) throw new IllegalArgumentException("--offline needs --duration");
    Simulation simulation = new Simulation(sensors, seed);
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    Map<String, SensorState> states = new HashMap<>();
    Map<String, byte[]> openEpisodes = new HashMap<>();
    EpisodeTracker episodes = new EpisodeTracker(EpisodeSettings.DEFAULT, openEpisodes::get,
        (sensorId, episode) -> {
          if (episode == null) openEpisodes.remove(sensorId);
          else openEpisodes.put(sensorId, episode);
        });
    Summary summary = new Summary();
    summary.sent = Math.round(durationSeconds * rate);
    for (long n = 0; n < summary.sent; n++) {
      SimulatedReading r = simulation.next();
      SensorState state = states.computeIfAbsent(r.sensorId(), id -> detector.newState());
      Outcome outcome = detector.process(state, Reading.single(r.timestampMillis(), r.value()));
      if (!outcome.accepted()) {
        summary.deadLetters++;
        continue;
      }
      summary.scored.incrementAndGet();
      if (faults) summary.scored(r.sensorId(), outcome.score());
      EpisodeEvent event = episodes.track(r.sensorId(), outcome.score());
      if (event != null) {
        summary.record(r.sensorId() + "@" + event.episode().startMillis(), r.sensorId(), event.episode().startMillis(),
            event.episode().endMillis());
      }
    }
    summary.truth = simulation.groundTruth();
    summary.print(out, StreamSettings.defaults());
    if (faults) summary.printFaults(out);
    return 0;
  }

  /** Gives the service time to join its group and restore, so the first readings are not held up. */
  private static void awaitRunning(Service service, AtomicBoolean stop) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (service.state() != KafkaStreams.State.RUNNING && !stop.get() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** The last readings are still being scored when the simulator stops: wait for them, briefly. */
  private static void awaitScored(Summary summary, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (summary.scored.get() < summary.sent && System.nanoTime() < deadline) Thread.sleep(100);
  }

  /**
   * Counts scores and dead letters and prints each episode event, as committed by the service (read_committed:
   * never a score that is rolled back).
   */
  private void printEpisodes(String bootstrapServers, StreamSettings topics, AtomicBoolean stop, Summary summary) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamlstm-demo-printer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ObjectMapper json = new ObjectMapper();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topics.scoresTopic(), topics.anomaliesTopic(), topics.deadLetterTopic()));
      while (!stop.get()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(topics.deadLetterTopic())) {
            summary.deadLetters++;
            continue;
          }
          if (record.topic().equals(topics.scoresTopic())) {
            summary.scored.incrementAndGet();
            if (faults) summary.scored(record.key(), readTree(json, record.value()));
            continue;
          }
          JsonNode event = readTree(json, record.value());
          if (!event.has("episodeId")) { // a sensor gone silent, or back
            out.printf("SENSOR  %-7s %-10s last reading %s%n", event.get("event").asText(), record.key(),
                event.get("lastReading").asText());
            continue;
          }
          summary.record(event.get("episodeId").asText(), event.get("sensorId").asText(),
              Timestamps.parse(event.get("start").asText()), Timestamps.parse(event.get("end").asText()));
          // The band shown is the reference that raised the peak's alarm, which is the network's only for its errors.
          String reason = event.get("reason").asText();
          out.printf("EPISODE %-7s %-10s %s .. %s flagged=%d peak %s %+.1f %s from expected=%.3f band=[%.3f, %.3f]"
                  + " surprise=%.1f%n",
              event.get("event").asText(), record.key(), event.get("start").asText(), event.get("end").asText(),
              event.get("readingsFlagged").asLong(), reason, event.get("deviation").asDouble(),
              Explanation.Reason.valueOf(reason).deviationUnit(),
              event.path("referenceExpected").asDouble(), event.path("referenceLower").asDouble(),
              event.path("referenceUpper").asDouble(), event.get("peakSurprise").asDouble());
        }
      }
    }
  }

  private static JsonNode readTree(ObjectMapper json, String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("the service wrote a score that is not JSON: " + text, e);
    }
  }

  /** An episode as its latest event tells it: flagged readings from start to end. */
  private record Episode(String sensorId, long startMillis, long endMillis) {}

  /** Of a score, what the fault lines print: its likelihood and what decided it. */
  private record ScorePoint(long timestampMillis, double likelihood, Explanation.Reason reason, double deviation) {}

  /** What the demo saw, and how it compares with the faults the simulator injected. */
  private static final class Summary {
    long sent;
    final AtomicLong scored = new AtomicLong();
    long deadLetters;
    long events;
    /** By episode id: each event of an episode replaces what the one before said. */
    final Map<String, Episode> episodes = new HashMap<>();
    List<Anomaly> truth = List.of();
    /** With --faults: every score, by sensor. */
    final Map<String, List<ScorePoint>> scores = new HashMap<>();

    void scored(String sensorId, Score score) {
      Explanation why = score.explanation();
      scores.computeIfAbsent(sensorId, id -> new ArrayList<>())
          .add(new ScorePoint(score.timestampMillis(), score.likelihood(), why.reason(), why.deviation()));
    }

    /** A score as the service wrote it: the same numbers as the detector's, doubles written in full. */
    void scored(String sensorId, JsonNode score) {
      scores.computeIfAbsent(sensorId, id -> new ArrayList<>()).add(new ScorePoint(
          Timestamps.parse(score.get("timestamp").asText()), score.get("likelihood").asDouble(),
          Explanation.Reason.valueOf(score.get("reason").asText()), score.get("deviation").asDouble()));
    }

    void record(String episodeId, String sensorId, long startMillis, long endMillis) {
      events++;
      episodes.put(episodeId, new Episode(sensorId, startMillis, endMillis));
    }

    void print(PrintStream out, StreamSettings topics) {
      int caught = 0;
      Map<AnomalyKind, int[]> byKind = new EnumMap<>(AnomalyKind.class);
      for (Anomaly a : truth) {
        int[] kind = byKind.computeIfAbsent(a.kind(), k -> new int[2]);
        kind[1]++;
        if (episodes.values().stream().anyMatch(e -> overlap(e, a))) {
          caught++;
          kind[0]++;
        }
      }
      long falseAlarms = outside().count();
      out.printf("Sent %d readings; %s: %d scores; %s: %d episodes in %d events; dead letters: %d.%n", sent,
          topics.scoresTopic(), scored.get(), topics.anomaliesTopic(), episodes.size(), events, deadLetters);
      out.printf("Injected faults: %d, of which %d within an episode; %d episodes outside any injected fault.%n",
          truth.size(), caught, falseAlarms);
      StringBuilder kinds = new StringBuilder("Within an episode, by kind of fault:");
      byKind.forEach((kind, counts) -> kinds.append(' ').append(kind).append(' ').append(counts[0]).append('/').append(counts[1]));
      out.println(kinds);
    }

    /**
     * A line per fault: covered by an episode or not, and the sensor's highest score during the fault; then a line
     * per episode outside any fault, with its highest score.
     */
    void printFaults(PrintStream out) {
      for (Anomaly a : truth) {
        ScorePoint peak = peak(a.sensorId(), a.startMillis(), a.endMillis());
        boolean caught = episodes.values().stream().anyMatch(e -> overlap(e, a));
        out.printf("FAULT %-10s %-11s %s %4d readings %-6s", a.sensorId(), a.kind(), Timestamps.format(a.startMillis()),
            (a.endMillis() - a.startMillis()) / Simulation.DEFAULT_STEP_MILLIS + 1, caught ? "caught" : "missed");
        printPeak(out, peak, a.startMillis());
      }
      outside().sorted(Comparator.comparingLong(Episode::startMillis)).forEach(e -> {
        out.printf("OUTSIDE %-10s %s %4d readings", e.sensorId(), Timestamps.format(e.startMillis()),
            (e.endMillis() - e.startMillis()) / Simulation.DEFAULT_STEP_MILLIS + 1);
        printPeak(out, peak(e.sensorId(), e.startMillis(), e.endMillis()), e.startMillis());
      });
    }

    /** The episodes that no injected fault explains. */
    private Stream<Episode> outside() {
      return episodes.values().stream().filter(e -> truth.stream().noneMatch(a -> explains(a, e)));
    }

    /** The sensor's highest score from {@code fromMillis} to {@code toMillis}, null if none was scored. */
    private ScorePoint peak(String sensorId, long fromMillis, long toMillis) {
      ScorePoint peak = null;
      for (ScorePoint score : scores.getOrDefault(sensorId, List.of())) {
        long at = score.timestampMillis();
        if (at >= fromMillis && at <= toMillis && (peak == null || score.likelihood() > peak.likelihood())) {
          peak = score;
        }
      }
      return peak;
    }

    private static void printPeak(PrintStream out, ScorePoint peak, long startMillis) {
      if (peak == null) {
        out.println(" (not scored)");
        return;
      }
      out.printf(" peak %.6f %s %+.1f %s at +%d%n", peak.likelihood(), peak.reason(), peak.deviation(),
          peak.reason().deviationUnit(), (peak.timestampMillis() - startMillis) / Simulation.DEFAULT_STEP_MILLIS);
    }

    private static boolean overlap(Episode e, Anomaly a) {
      return e.sensorId().equals(a.sensorId()) && e.startMillis() <= a.endMillis() && a.startMillis() <= e.endMillis();
    }

    /**
     * The fault overlaps the episode, or ended on the reading before it: a drift's end is a jump back by its whole
     * size on the next reading, an alarm the fault made. Such an episode is not outside any fault; nor does it
     * catch the fault, which it saw only end.
     */
    private static boolean explains(Anomaly a, Episode e) {
      return e.sensorId().equals(a.sensorId()) && e.startMillis() <= a.endMillis() + Simulation.DEFAULT_STEP_MILLIS
          && a.startMillis() <= e.endMillis();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }
}
