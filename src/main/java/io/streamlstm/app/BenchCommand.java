package io.streamlstm.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.app.web.LivePage;
import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.Models;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
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
      System.out.printf("bench: broker in this JVM, exactly_once_v2, %d stream thread(s), %d partitions, %d CPUs%n",
          threads, partitions, Runtime.getRuntime().availableProcessors());
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
    int[] sizes = stateAndScoreBytes();
    System.out.printf("sizes: sensor state %d bytes, score %d bytes (the no-op topology stores and writes as much)%n",
        sizes[0], sizes[1]);
    List<Double> noOps = new ArrayList<>();
    List<Double> detectors = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    // Round 0 warms up the JIT, RocksDB and the broker's reads of the log, and is not counted. The counted
    // rounds alternate which topology runs first, so a slow spell of the machine falls on both alike.
    for (int round = 0; round <= rounds; round++) {
      Rate noOp = null;
      Rate detector = null;
      boolean detectorFirst = round % 2 == 0;
      for (int turn = 0; turn < 2; turn++) {
        if ((turn == 0) == detectorFirst) detector = detectorRun(input, total, round);
        else noOp = noOpRun(input, total, round, sizes);
      }
      double ratio = detector.recordsPerSecond() / noOp.recordsPerSecond();
      double cpuRatio = noOp.cpuMicrosPerRecord() / detector.cpuMicrosPerRecord();
      System.out.printf("%-8s no-op %,9.0f records/s (%.1f µs CPU each), detector %,9.0f records/s (%.1f µs CPU each): "
              + "ratio %.2f, by CPU %.2f (%s first)%n", round == 0 ? "warm-up" : "round " + round,
          noOp.recordsPerSecond(), noOp.cpuMicrosPerRecord(), detector.recordsPerSecond(),
          detector.cpuMicrosPerRecord(), ratio, cpuRatio, detectorFirst ? "detector" : "no-op");
      if (round == 0) continue;
      noOps.add(noOp.recordsPerSecond());
      detectors.add(detector.recordsPerSecond());
      ratios.add(ratio);
      cpuRatios.add(cpuRatio);
    }
    System.out.printf("throughput, median of %d rounds: no-op %,.0f records/s, detector %,.0f records/s, "
            + "ratio %.2f (rounds %s), by CPU per record %.2f (rounds %s); %,d readings over %,d sensors%n", rounds,
        median(noOps), median(detectors), median(ratios), twoDecimals(ratios), median(cpuRatios),
        twoDecimals(cpuRatios), readings, sensors);
  }

  private static List<String> twoDecimals(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).toList();
  }

  private Rate noOpRun(String input, long total, int round, int[] sizes) throws Exception {
    String output = "bench-noop-" + round + "-out";
    createTopics(output);
    return run("bench-noop-" + round, NoOpTopology.build(input, output, sizes[0], sizes[1]), input, total, null);
  }

  private Rate detectorRun(String input, long total, int round) throws Exception {
    StreamSettings settings = settings(input, "bench-detector-" + round);
    ensureTopics(settings);
    AtomicReference<long[]> store = new AtomicReference<>();
    Rate rate = run("bench-detector-" + round, detectorTopology(settings), input, total, store);
    if (round == 0) {
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

  /** Bytes of a sensor state after a few hundred readings, and of a score, from the detector itself. */
  private int[] stateAndScoreBytes() {
    Detector detector = new Detector(Models.loadDefault(), DetectorConfig.defaults());
    SensorState state = detector.newState();
    Simulation one = new Simulation(1, seed);
    Score score = null;
    for (int t = 0; t < 300; t++) {
      SimulatedReading r = one.next();
      Outcome outcome = detector.process(state, Reading.single(r.timestampMillis(), r.value()));
      score = outcome.score();
    }
    return new int[] {state.encode().length, ScoreJson.write("sensor-1234", StreamSettings.DEFAULT_MODEL_NAME, score).length};
  }

  // ---- latency: readings at a fixed rate, time until their score is committed ----

  private void latency() throws Exception {
    String input = "bench-latency-readings";
    createTopics(input);
    StreamSettings settings = settings(input, "bench-latency");
    ensureTopics(settings);
    Properties props = streamsProperties("bench-latency");
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
      System.out.printf("latency, produce to committed score, %.0f readings/s for %.0f s (first %d s not counted), "
              + "n=%d: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
          latencyRate, latencySeconds, WARM_UP.toSeconds(), sorted.length, millis(sorted, 0.50), millis(sorted, 0.95),
          millis(sorted, 0.99), millis(sorted, 1.0), sentAt.isEmpty() ? "" : "; " + sentAt.size() + " never scored");
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
    try (KafkaStreams streams = new KafkaStreams(detectorTopology(settings), streamsProperties(applicationId));
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0);
        LivePage page = withPage ? LivePage.serve(http, pageConfig) : null;
        KafkaProducer<String, byte[]> producer = SimulateCommand.producer(bootstrapServers)) {
      startAndAwaitRunning(streams);
      AtomicBoolean stop = new AtomicBoolean();
      Thread viewer = new Thread(() -> view(http.port(), stop), "bench-page-viewer");
      if (withPage) viewer.start();
      long scoringCpuStart = threadCpuNanos(applicationId);
      long processCpuStart = processCpuNanos();
      long sent = SimulateCommand.send(new Simulation(sensors, seed + 3), producer, input, pageRate, Long.MAX_VALUE,
          (long) (latencySeconds * 1e9), stop);
      long sentAll = System.nanoTime();
      long deadline = sentAll + TimeUnit.SECONDS.toNanos(120);
      while (committed(admin, applicationId, input) < sent) {
        if (System.nanoTime() > deadline) throw new IllegalStateException(applicationId + " did not score every reading");
        Thread.sleep(20);
      }
      long catchUpMillis = (System.nanoTime() - sentAll) / 1_000_000;
      double scoringCpu = (threadCpuNanos(applicationId) - scoringCpuStart) / 1e3 / sent;
      double processCpu = (processCpuNanos() - processCpuStart) / 1e3 / sent;
      stop.set(true);
      if (withPage) viewer.join();
      long pageReadings = withPage ? awaitPageReadings(http.port(), sent) : 0;
      streams.close(Duration.ofSeconds(60));
      streams.cleanUp();
      return new PageRun(sent, scoringCpu, processCpu, catchUpMillis, pageReadings);
    }
  }

  /** CPU time of the live threads whose name holds {@code applicationId}: the stream thread and its clients'. */
  private static long threadCpuNanos(String applicationId) {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains(applicationId)) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
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
    double rate = run("bench-memory", detectorTopology(settings), input, total, store).recordsPerSecond();
    sampling.set(false);
    sampler.join();
    long after = heapAfterGc();
    System.out.printf("memory: %,d sensors (%,d readings, %,.0f records/s), store %,d sensors at %.1f bytes each; "
            + "heap used after GC: %,d MiB before the stream, %,d MiB with every sensor's state stored; "
            + "highest sampled %,d MiB; max heap %,d MiB%n",
        sensors, total, rate, store.get()[0], (double) store.get()[1] / store.get()[0], before >> 20, after >> 20,
        peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---- shared ----

  /**
   * Runs {@code topology} until the application has committed every one of the {@code expected} input
   * records, and returns records/s from the moment it was RUNNING. With {@code storeSize}, also counts the
   * sensor store's entries and bytes before closing.
   */
  /**
   * A run's speed, and the CPU time this whole JVM (broker, clients, stream threads) spent per record:
   * records/s follow how much of the shared machine the run got, CPU per record much less so.
   */
  private record Rate(double recordsPerSecond, double cpuMicrosPerRecord) {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private Rate run(String applicationId, Topology topology, String input, long expected,
      AtomicReference<long[]> storeSize) throws Exception {
    try (KafkaStreams streams = new KafkaStreams(topology, streamsProperties(applicationId));
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      startAndAwaitRunning(streams);
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
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
      double cpuMicros = (processCpuNanos() - cpuStart) / 1e3;
      if (storeSize != null) storeSize.set(storeSize(streams));
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

  private Properties streamsProperties(String applicationId) throws IOException {
    // Both topologies run with the service's settings (exactly-once among them).
    Properties p = ScoringTopology.streamsDefaults();
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
