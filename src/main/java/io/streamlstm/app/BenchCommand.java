package io.streamlstm.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.web.LivePage;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.BoundedRocksDbMemory;
import io.streamlstm.streams.EpisodeSettings;
import io.streamlstm.streams.FeedbackSettings;
import io.streamlstm.streams.ModelRoutes;
import io.streamlstm.streams.ScoreJson;
import io.streamlstm.streams.ScoringObserver;
import io.streamlstm.streams.SilenceSettings;
import io.streamlstm.streams.ScoringTopology;
import io.streamlstm.streams.StateExpiry;
import io.streamlstm.streams.StreamSettings;
import io.streamlstm.streams.Timestamps;
import io.streamlstm.streams.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamlstm bench}: the scoring topology on a real broker in this JVM, exactly-once, against a
 * no-op topology that does the same Kafka work (parse, store get/put of a state-sized value, a
 * score-sized output) without the detector. Both read the same readings in the same run, alternating,
 * because this kind of machine changes speed for seconds at a time.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Measures the scoring topology on an in-process broker (exactly-once): records/s against a no-op "
            + "topology, produce-to-score latency at a fixed rate, store bytes per sensor, and heap with many sensors.",
        "Modes: throughput, latency, memory, page (comma-separated). For the memory mode run the JVM with -Xmx1g.",
        "page: the live page's cost to scoring, at --page-rate readings/s, with and without the page in alternate runs."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--readings", defaultValue = "500000", description = "Readings per throughput run (default: ${DEFAULT-VALUE}).")
  int readings;

  @Option(names = "--sensors", defaultValue = "10000", description = "Sensors the readings spread over (default: ${DEFAULT-VALUE}).")
  int sensors;

  @Option(names = "--threads", defaultValue = "" + ScoringTopology.STREAM_THREADS,
      description = "Stream threads of every run (default: ${DEFAULT-VALUE}, the service's).")
  int threads;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--rounds", defaultValue = "3",
      description = "Counted rounds of a no-op and a detector run, after one warm-up round (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--mode", split = ",", defaultValue = "throughput,latency",
      description = "What to measure: throughput, latency, memory, page (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--latency-rate", defaultValue = "2000", description = "Readings/s sent in the latency run (default: ${DEFAULT-VALUE}).")
  double latencyRate;

  @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the latency run (default: ${DEFAULT-VALUE}).")
  double latencySeconds;

  @Option(names = "--page-rate", defaultValue = "10000", description = "Readings/s sent in the page runs (default: ${DEFAULT-VALUE}).")
  double pageRate;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting over the service's defaults, for every run but the baseline (repeatable).")
  Map<String, String> streamsOverrides = new LinkedHashMap<>();

  @Option(names = "--baseline",
      description = "Throughput and latency: also run the detector with the settings main shipped before issue 11 "
          + "(in each throughput round, the ratio of the detector's records/s to this baseline's is printed).")
  boolean baseline;

  @Option(names = "--baseline-config", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting over the baseline's, to compare two settings in one run (repeatable).")
  Map<String, String> baselineOverrides = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--model-routes", paramLabel = "ROUTES",
      description = "The detector topology's streamlstm.model.routes, e.g. routes no simulated sensor matches, so every "
          + "reading tries them all: what routing costs (default: none).")
  String modelRoutes;

  private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
  private static final Duration WARM_UP = Duration.ofSeconds(3);

  private Path stateRoot;
  private String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    EmbeddedKafka.quietLogs();
    for (String mode : modes) {
      if (!List.of("throughput", "latency", "memory", "page").contains(mode)) {
        throw new IllegalArgumentException("unknown mode '" + mode + "' (throughput, latency, memory, page)");
      }
    }
    stateRoot = Files.createTempDirectory("streamlstm-bench-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      bootstrapServers = kafka.bootstrapServers();
      System.out.printf("bench: broker in this JVM, %d stream thread(s), %d partitions, %d CPUs%n",
          threads, partitions, Runtime.getRuntime().availableProcessors());
      System.out.printf("settings: %s%n", inOrder(streamsDefaults()));
      if (baseline) System.out.printf("baseline settings: %s%n", inOrder(baselineSettings()));
      if (modes.contains("throughput")) throughput();
      if (modes.contains("latency")) latency();
      if (modes.contains("memory")) memory();
      if (modes.contains("page")) page();
      return 0;
    } finally {
      deleteRecursively(stateRoot);
    }
  }

  // ---- throughput: no-op and detector over the same readings ----

  private void throughput() throws Exception {
    String input = "bench-readings";
    long total = produceAll(input, new Simulation(sensors, seed), readings);
    NoOpTopology.Samples samples = samples();
    System.out.printf("sizes: sensor state %.0f bytes, score %.0f bytes on average (the no-op topology stores and "
        + "writes real ones)%n", samples.meanStateBytes(), samples.meanScoreBytes());
    List<Side> sides = baseline ? List.of(Side.DETECTOR, Side.NO_OP, Side.BASELINE) : List.of(Side.DETECTOR, Side.NO_OP);
    Map<Side, List<Double>> rates = new EnumMap<>(Side.class);
    List<Double> ratios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    List<Double> baselineRatios = new ArrayList<>();
    // Round 0 warms up the JIT, RocksDB and the broker's reads of the log, and is not counted. The counted
    // rounds rotate which topology runs first, so a slow spell of the machine falls on each alike.
    for (int round = 0; round <= rounds; round++) {
      Map<Side, Rate> rate = new EnumMap<>(Side.class);
      List<Side> order = new ArrayList<>(sides);
      Collections.rotate(order, -round);
      for (Side side : order) {
        rate.put(side, side == Side.NO_OP
            ? noOpRun(input, total, round, samples) : detectorRun(input, total, round, side));
      }
      Rate noOp = rate.get(Side.NO_OP);
      Rate detector = rate.get(Side.DETECTOR);
      double ratio = detector.recordsPerSecond() / noOp.recordsPerSecond();
      double cpuRatio = noOp.cpuMicrosPerRecord() / detector.cpuMicrosPerRecord();
      Rate former = rate.get(Side.BASELINE);
      System.out.printf("%-8s no-op %,9.0f records/s (%.1f µs CPU each), detector %,9.0f records/s (%.1f µs CPU each): "
              + "ratio %.2f, by CPU %.2f%s (%s first)%n", round == 0 ? "warm-up" : "round " + round,
          noOp.recordsPerSecond(), noOp.cpuMicrosPerRecord(), detector.recordsPerSecond(),
          detector.cpuMicrosPerRecord(), ratio, cpuRatio,
          former == null ? "" : String.format("; baseline %,9.0f records/s (%.1f µs CPU each): detector / baseline "
              + "%.2f", former.recordsPerSecond(), former.cpuMicrosPerRecord(),
              detector.recordsPerSecond() / former.recordsPerSecond()),
          order.get(0).label);
      if (round == 0) continue;
      rate.forEach((side, r) -> rates.computeIfAbsent(side, s -> new ArrayList<>()).add(r.recordsPerSecond()));
      ratios.add(ratio);
      cpuRatios.add(cpuRatio);
      if (former != null) baselineRatios.add(detector.recordsPerSecond() / former.recordsPerSecond());
    }
    System.out.printf("throughput, median of %d rounds: no-op %,.0f records/s, detector %,.0f records/s, "
            + "ratio %.2f (rounds %s), by CPU per record %.2f (rounds %s); %,d readings over %,d sensors%n", rounds,
        median(rates.get(Side.NO_OP)), median(rates.get(Side.DETECTOR)), median(ratios), twoDecimals(ratios),
        median(cpuRatios), twoDecimals(cpuRatios), readings, sensors);
    if (baseline) {
      System.out.printf("baseline, median of %d rounds: %,.0f records/s; detector / baseline %.2f (rounds %s)%n", rounds,
          median(rates.get(Side.BASELINE)), median(baselineRatios), twoDecimals(baselineRatios));
    }
  }

  /** What a run runs: the no-op or the detector topology, the detector with the service's settings or main's former ones. */
  private enum Side {
    DETECTOR("detector"), NO_OP("no-op"), BASELINE("baseline");

    final String label;

    Side(String label) {
      this.label = label;
    }
  }

  private static String inOrder(Properties settings) {
    return new TreeMap<>(settings).toString();
  }

  private static List<String> twoDecimals(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).toList();
  }

  private Rate noOpRun(String input, long total, int round, NoOpTopology.Samples samples) throws Exception {
    String output = "bench-noop-" + round + "-out";
    createTopics(output);
    return run("bench-noop-" + round, NoOpTopology.build(input, output, samples), streamsDefaults(), input,
        total, null);
  }

  private Rate detectorRun(String input, long total, int round, Side side) throws Exception {
    String applicationId = "bench-" + side.label + "-" + round;
    StreamSettings settings = settings(input, applicationId);
    ensureTopics(settings);
    AtomicReference<long[]> store = new AtomicReference<>();
    Properties settingsOfSide = side == Side.BASELINE ? baselineSettings() : streamsDefaults();
    Rate rate = run(applicationId, detectorTopology(settings), settingsOfSide, input, total,
        streams -> store.set(storeSize(streams)));
    if (round == 0 && side == Side.DETECTOR) {
      System.out.printf("store: %,d sensors, %,d bytes of keys and values = %.1f bytes per sensor%n",
          store.get()[0], store.get()[1], (double) store.get()[1] / store.get()[0]);
    }
    return rate;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * Real sensor states and scores for the no-op topology to store and write: as large as the detector's, and as
   * compressible, since a batch of them is what a producer's compression sees. Distinct sensors, so no batch holds
   * the same bytes twice (which would compress far better than real states do).
   */
  private NoOpTopology.Samples samples() {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    int count = Math.min(sensors, 2048);
    Simulation simulation = new Simulation(count, seed);
    SensorState[] states = new SensorState[count];
    byte[][] scores = new byte[count][];
    for (int i = 0; i < count; i++) states[i] = detector.newState();
    for (int n = 0; n < 300 * count; n++) {
      SimulatedReading r = simulation.next();
      int i = n % count;
      Score score = detector.process(states[i], Reading.single(r.timestampMillis(), r.value())).score();
      if (score != null) scores[i] = ScoreJson.write(r.sensorId(), StreamSettings.DEFAULT_MODEL_NAME, score);
    }
    List<byte[]> encoded = Stream.of(states).map(SensorState::encode).toList();
    return new NoOpTopology.Samples(encoded, List.of(scores));
  }

  // ---- latency: readings at a fixed rate, time until their score is committed ----

  /**
   * Rounds of one run with the service's settings and, with --baseline, one with main's former settings, the order
   * rotating; round 0 warms up the JIT (a cold JVM falls seconds behind at 10,000 readings/s) and is not counted.
   */
  private void latency() throws Exception {
    List<Side> sides = baseline ? List.of(Side.DETECTOR, Side.BASELINE) : List.of(Side.DETECTOR);
    Map<Side, List<Double>> p99s = new EnumMap<>(Side.class);
    for (int round = 0; round <= rounds; round++) {
      List<Side> order = new ArrayList<>(sides);
      Collections.rotate(order, -round);
      for (Side side : order) {
        double p99 = latency(side, round);
        if (round > 0) p99s.computeIfAbsent(side, s -> new ArrayList<>()).add(p99);
      }
    }
    for (Side side : sides) {
      List<Double> measured = p99s.get(side);
      System.out.printf("latency%s, median of %d rounds at %,.0f readings/s: p99 %.1f ms (rounds %s)%n",
          side == Side.BASELINE ? " (baseline settings)" : "", measured.size(), latencyRate, median(measured),
          measured.stream().map(p -> String.format("%.1f", p)).toList());
    }
  }

  /** One run at --latency-rate for --latency-seconds; returns its p99 in ms. */
  private double latency(Side side, int round) throws Exception {
    String applicationId = "bench-latency-" + (side == Side.DETECTOR ? "" : side.label + "-") + round;
    String input = applicationId + "-readings";
    createTopics(input);
    StreamSettings settings = settings(input, applicationId);
    ensureTopics(settings);
    Properties props = streamsProperties(applicationId, side == Side.BASELINE ? baselineSettings() : streamsDefaults());
    try (KafkaStreams streams = new KafkaStreams(detectorTopology(settings), props)) {
      startAndAwaitRunning(streams);
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch reading = new CountDownLatch(1);
      Thread consumer = new Thread(() -> collectLatencies(settings.scoresTopic(), sentAt, latencies, stop, reading),
          "bench-latency-consumer");
      consumer.start();
      reading.await();
      Simulation simulation = new Simulation(sensors, seed + 1);
      long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
      long start = System.nanoTime();
      long sent = 0;
      try (KafkaProducer<String, byte[]> producer = SimulateCommand.producer(bootstrapServers)) {
        while (System.nanoTime() - start < (long) (latencySeconds * 1e9)) {
          long due = start + (long) (sent * 1e9 / latencyRate);
          long now = System.nanoTime();
          if (due > now) {
            TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 5_000_000L));
            continue;
          }
          SimulatedReading r = simulation.next();
          if (now >= warmUpEnd) sentAt.put(at(r.sensorId(), r.timestampMillis()), now);
          producer.send(new ProducerRecord<>(input, r.sensorId(), SimulateCommand.toJson(r)));
          sent++;
        }
        producer.flush();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!sentAt.isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
      stop.set(true);
      consumer.join();
      long[] sorted;
      synchronized (latencies) {
        sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      System.out.printf("%-8s latency%s, produce to committed score, %.0f readings/s for %.0f s (first %d s not "
              + "counted), n=%d: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
          round == 0 ? "warm-up" : "round " + round, side == Side.BASELINE ? " (baseline settings)" : "", latencyRate,
          latencySeconds, WARM_UP.toSeconds(), sorted.length, millis(sorted, 0.50), millis(sorted, 0.95),
          millis(sorted, 0.99), millis(sorted, 1.0), sentAt.isEmpty() ? "" : "; " + sentAt.size() + " never scored");
      return millis(sorted, 0.99);
    }
  }

  private void collectLatencies(String scoresTopic, Map<String, Long> sentAt, List<Long> latencies,
      AtomicBoolean stop, CountDownLatch reading) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> all = consumer.partitionsFor(scoresTopic).stream()
          .map(info -> new TopicPartition(scoresTopic, info.partition())).toList();
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(consumer::position);
      reading.countDown();
      while (!stop.get()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.nanoTime();
          Matcher m = TIMESTAMP.matcher(record.value());
          if (!m.find()) continue;
          Long sent = sentAt.remove(at(record.key(), Timestamps.parse(m.group(1))));
          if (sent != null) latencies.add(now - sent);
        }
      }
    }
  }

  // ---- page: what the live page costs the scoring, at a fixed rate ----

  /**
   * Alternate runs of the detector at {@code --page-rate} for {@code --latency-seconds}, with and without the
   * live page reading the output topics and a viewer fetching the fleet and a sensor every second. The
   * figure is the CPU time of the scoring application's own threads (stream thread, its clients' network
   * threads) per reading: what the page takes from scoring, apart from the page's own work.
   */
  private void page() throws Exception {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      boolean pageFirst = round % 2 == 0;
      PageRun with = null;
      PageRun without = null;
      for (int turn = 0; turn < 2; turn++) {
        if ((turn == 0) == pageFirst) with = pageRun(round, true);
        else without = pageRun(round, false);
      }
      double ratio = with.scoringCpuMicros() / without.scoringCpuMicros();
      System.out.printf("%-8s without the page %.1f µs scoring CPU per reading (%.1f µs process, caught up %d ms "
              + "after the last send), with it %.1f µs (%.1f µs process, caught up %d ms; the page read %,d of %,d "
              + "scores): ratio %.3f (%s first)%n",
          round == 0 ? "warm-up" : "round " + round, without.scoringCpuMicros(), without.processCpuMicros(),
          without.catchUpMillis(), with.scoringCpuMicros(), with.processCpuMicros(), with.catchUpMillis(),
          with.pageReadings(), with.sent(), ratio, pageFirst ? "page" : "no page");
      if (round > 0) ratios.add(ratio);
    }
    System.out.printf("page, median of %d rounds at %,.0f readings/s over %,d sensors: scoring CPU per reading "
        + "with the page / without %.3f (rounds %s)%n", rounds, pageRate, sensors, median(ratios),
        ratios.stream().map(r -> String.format("%.3f", r)).toList());
  }

  /** {@code catchUpMillis}: from the last reading sent until every reading was scored (a scorer behind shows here). */
  private record PageRun(long sent, double scoringCpuMicros, double processCpuMicros, long catchUpMillis,
                         long pageReadings) {}

  private PageRun pageRun(int round, boolean withPage) throws Exception {
    // "-on"/"-off": neither name contains the other, so each run's threads are told apart by name.
    String applicationId = "bench-page-" + round + (withPage ? "-on" : "-off");
    String input = applicationId + "-readings";
    createTopics(input);
    StreamSettings settings = settings(input, applicationId);
    ensureTopics(settings);
    AppConfig pageConfig = AppConfig.from(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AppConfig.SCORES_TOPIC, settings.scoresTopic(), AppConfig.DLQ_TOPIC, settings.deadLetterTopic()));
    Properties props = streamsProperties(applicationId, streamsDefaults());
    try (KafkaStreams streams = new KafkaStreams(detectorTopology(settings), props);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0);
        LivePage page = withPage ? LivePage.serve(http, pageConfig) : null;
        KafkaProducer<String, byte[]> producer = SimulateCommand.producer(bootstrapServers)) {
      startAndAwaitRunning(streams);
      AtomicBoolean stop = new AtomicBoolean();
      Thread viewer = new Thread(() -> view(http.port(), stop), "bench-page-viewer");
      if (withPage) viewer.start();
      ThreadCpu cpu = ThreadCpu.start(applicationId);
      long sent = SimulateCommand.send(new Simulation(sensors, seed + 3), producer, input, pageRate, Long.MAX_VALUE,
          (long) (latencySeconds * 1e9), stop);
      long sentAll = System.nanoTime();
      long deadline = sentAll + TimeUnit.SECONDS.toNanos(120);
      while (committed(admin, applicationId, input) < sent) {
        if (System.nanoTime() > deadline) throw new IllegalStateException(applicationId + " did not score every reading");
        Thread.sleep(20);
      }
      long catchUpMillis = (System.nanoTime() - sentAll) / 1_000_000;
      ThreadCpu.Split used = cpu.since();
      double scoringCpu = used.application() / 1e3 / sent;
      double processCpu = used.total() / 1e3 / sent;
      stop.set(true);
      if (withPage) viewer.join();
      long pageReadings = withPage ? awaitPageReadings(http.port(), sent) : 0;
      streams.close(Duration.ofSeconds(60));
      streams.cleanUp();
      return new PageRun(sent, scoringCpu, processCpu, catchUpMillis, pageReadings);
    }
  }

  /** A person watching: the fleet and one sensor's chart, once a second, as the page's script fetches them. */
  private static void view(int port, AtomicBoolean stop) {
    HttpClient client = HttpClient.newHttpClient();
    while (!stop.get()) {
      for (String path : List.of("/api/fleet", "/api/sensor?id=sensor-0")) {
        try {
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      LockSupport.parkNanos(1_000_000_000L);
    }
  }

  /** How many scores the page has read, once it has read {@code expected} or 30 s passed. */
  private static long awaitPageReadings(int port, long expected) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long readings;
    do {
      String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/fleet")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      readings = json.readTree(body).get("readings").asLong();
      if (readings < expected) Thread.sleep(200);
    } while (readings < expected && System.nanoTime() < deadline);
    return readings;
  }

  // ---- memory: many sensors' states, heap used ----

  private void memory() throws Exception {
    String input = "bench-memory-readings";
    long perSensor = Math.max(1, readings / sensors);
    long total = produceAll(input, new Simulation(sensors, seed + 2), perSensor * sensors);
    long before = heapAfterGc();
    StreamSettings settings = settings(input, "bench-memory");
    ensureTopics(settings);
    AtomicLong peak = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    AtomicReference<long[]> store = new AtomicReference<>();
    AtomicReference<String> outsideHeap = new AtomicReference<>();
    // With --baseline, main's former settings instead: one process each, since resident memory only grows.
    Properties memorySettings = baseline ? baselineSettings() : streamsDefaults();
    double rate = run("bench-memory", detectorTopology(settings), memorySettings, input, total, streams -> {
      store.set(storeSize(streams));
      outsideHeap.set(rocksDbMemory(streams, memorySettings) + "; " + residentMemory());
    }).recordsPerSecond();
    sampling.set(false);
    sampler.join();
    long after = heapAfterGc();
    String label = baseline ? "memory (baseline settings)" : "memory";
    System.out.printf("%s: %,d sensors (%,d readings, %,.0f records/s), store %,d sensors at %.1f bytes each; "
            + "heap used after GC: %,d MiB before the stream, %,d MiB with every sensor's state stored; "
            + "highest sampled %,d MiB; max heap %,d MiB%n",
        label, sensors, total, rate, store.get()[0], (double) store.get()[1] / store.get()[0], before >> 20,
        after >> 20, peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("%s: at the end of the run, %s; heap committed %,d MiB, non-heap committed %,d MiB%n", label,
        outsideHeap.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20,
        ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() >> 20);
  }

  /**
   * What RocksDB holds, from Kafka Streams' store metrics: the memtables and table readers summed over the store
   * instances, and the block cache's use, summed too unless the stores share one cache (then each reports it all).
   */
  private static String rocksDbMemory(KafkaStreams streams, Properties settings) {
    boolean shared = BoundedRocksDbMemory.class.getName().equals(
        String.valueOf(settings.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)));
    double cacheLargest = 0;
    double cacheSum = 0;
    double memtables = 0;
    double tableReaders = 0;
    int stores = 0;
    for (var metric : streams.metrics().values()) {
      if (!(metric.metricValue() instanceof Number value)) continue;
      switch (metric.metricName().name()) {
        case "block-cache-usage" -> {
          cacheLargest = Math.max(cacheLargest, value.doubleValue());
          cacheSum += value.doubleValue();
        }
        case "size-all-mem-tables" -> {
          memtables += value.doubleValue();
          stores++;
        }
        case "estimate-table-readers-mem" -> tableReaders += value.doubleValue();
        default -> { }
      }
    }
    return String.format("RocksDB (%d store instances): block cache in use %,.0f MiB (%s), memtables %,.0f MiB, "
            + "table readers outside the cache %,.0f MiB", stores, (shared ? cacheLargest : cacheSum) / (1 << 20),
        shared ? "one cache for all, memtables counted in it" : "a cache per store instance, summed",
        memtables / (1 << 20), tableReaders / (1 << 20));
  }

  /** This process's resident memory now and at its highest, from /proc (Linux). */
  private static String residentMemory() {
    try {
      Map<String, String> status = new HashMap<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        String[] parts = line.split(":\\s+", 2);
        if (parts.length == 2) status.put(parts[0], parts[1]);
      }
      return String.format("resident memory (whole process, broker included) %,d MiB, highest %,d MiB",
          kibibytes(status.get("VmRSS")) >> 10, kibibytes(status.get("VmHWM")) >> 10);
    } catch (IOException | RuntimeException e) {
      return "resident memory unknown (" + e.getMessage() + ")";
    }
  }

  private static long kibibytes(String value) {
    return Long.parseLong(value.replace("kB", "").strip());
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---- shared ----

  /**
   * A run's speed, and the CPU time this whole JVM (broker, clients, stream threads) spent per record:
   * records/s follow how much of the shared machine the run got, CPU per record much less so.
   */
  private record Rate(double recordsPerSecond, double cpuMicrosPerRecord) {}

  /**
   * Runs {@code topology} with {@code settings} until the application has committed every one of the
   * {@code expected} input records, and returns records/s from the moment it was RUNNING. {@code atEnd}, if any,
   * is given the application before it is closed.
   */
  private Rate run(String applicationId, Topology topology, Properties settings, String input, long expected,
      Consumer<KafkaStreams> atEnd) throws Exception {
    try (KafkaStreams streams = new KafkaStreams(topology, streamsProperties(applicationId, settings));
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      startAndAwaitRunning(streams);
      long start = System.nanoTime();
      ThreadCpu cpu = ThreadCpu.start(applicationId);
      long cpuStart = ThreadCpu.processCpuNanos();
      long lastReport = start;
      long lastProgress = start;
      long before = 0;
      long done;
      while ((done = committed(admin, applicationId, input)) < expected) {
        if (streams.state() == KafkaStreams.State.ERROR) throw new IllegalStateException(applicationId + " failed");
        if (done > before) {
          before = done;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > 120e9) {
          throw new IllegalStateException(applicationId + " stalled at " + done + " of " + expected + " for 120 s");
        }
        Thread.sleep(20);
        if (System.nanoTime() - lastReport > 15e9) {
          lastReport = System.nanoTime();
          System.out.printf("  %s: %,d of %,d%n", applicationId, done, expected);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicros = (ThreadCpu.processCpuNanos() - cpuStart) / 1e3;
      System.out.printf("  %s: CPU per record: %s%n", applicationId, cpu.since().perRecord(expected));
      if (atEnd != null) atEnd.accept(streams);
      streams.close(Duration.ofSeconds(60));
      streams.cleanUp();
      return new Rate(expected / seconds, cpuMicros / expected);
    }
  }

  private static long committed(Admin admin, String applicationId, String input) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
    long sum = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      if (e.getKey().topic().equals(input) && e.getValue() != null) sum += e.getValue().offset();
    }
    return sum;
  }

  private static long[] storeSize(KafkaStreams streams) {
    ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
        ScoringTopology.SENSOR_STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    long entries = 0;
    long bytes = 0;
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        entries++;
        bytes += entry.key.getBytes(StandardCharsets.UTF_8).length + entry.value.length;
      }
    }
    return new long[] {entries, bytes};
  }

  private static void startAndAwaitRunning(KafkaStreams streams) throws InterruptedException {
    streams.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("streams did not reach RUNNING: " + streams.state());
      }
      Thread.sleep(20);
    }
  }

  private Topology detectorTopology(StreamSettings settings) {
    Model model = Models.loadDefault();
    return ScoringTopology.build(settings, model, ScoringObserver.NONE);
  }

  private StreamSettings settings(String input, String prefix) {
    return new StreamSettings(input, prefix + "-scores", prefix + "-anomalies", prefix + "-dlq", prefix + "-models",
        StreamSettings.DEFAULT_MODEL_NAME, DetectorConfig.defaults(), StreamSettings.DEFAULT_FUTURE_TOLERANCE,
        StateExpiry.DEFAULT, EpisodeSettings.DEFAULT, SilenceSettings.DEFAULT, ModelRoutes.parse(modelRoutes),
        FeedbackSettings.DEFAULT.withTopic(prefix + "-feedback"));
  }

  private void ensureTopics(StreamSettings settings) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Topics.ensure(admin, settings, partitions);
    }
  }

  private void createTopics(String... topics) {
    EmbeddedKafka.createTopics(bootstrapServers, partitions, topics);
  }

  /**
   * The --baseline runs' settings: the Kafka Streams settings main shipped before issue 11's cost work (commit
   * aa82cfb), exactly-once and no task idling, everything else Kafka Streams' defaults; then --baseline-config.
   */
  private Properties baselineSettings() {
    Properties p = new Properties();
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    p.putAll(baselineOverrides);
    return p;
  }

  /** The service's Kafka Streams settings (exactly-once among them), with the --streams-config overrides. */
  private Properties streamsDefaults() {
    Properties p = ScoringTopology.streamsDefaults();
    p.putAll(streamsOverrides);
    return p;
  }

  private Properties streamsProperties(String applicationId, Properties settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateRoot.resolve(applicationId)).toString());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return p;
  }

  /** Sends {@code count} readings unpaced; returns how many the topic holds, counted by the broker. */
  private long produceAll(String topic, Simulation simulation, long count) throws Exception {
    createTopics(topic);
    long start = System.nanoTime();
    long sent;
    try (KafkaProducer<String, byte[]> producer = SimulateCommand.producer(bootstrapServers)) {
      sent = SimulateCommand.send(simulation, producer, topic, 0, count, Long.MAX_VALUE, new AtomicBoolean());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("produced %,d readings over %,d sensors in %.1f s (%,.0f/s)%n", sent, simulation.sensors(),
        seconds, sent / seconds);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      long held = 0;
      for (var info : admin.listOffsets(latest).all().get().values()) held += info.offset();
      if (held != sent) throw new IllegalStateException(topic + " holds " + held + " readings, " + sent + " were sent");
      return held;
    }
  }


  private static String at(String sensorId, long timestampMillis) {
    return sensorId + "@" + timestampMillis;
  }

  private static double millis(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) return Double.NaN;
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, index)] / 1e6;
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
