package io.streamlstm.app.soak;

import io.streamlstm.app.AppConfig;
import io.streamlstm.app.EmbeddedKafka;
import io.streamlstm.app.SimulateCommand;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.streams.StreamSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The crash soak: a broker and two service instances, each its own JVM, one application id, exactly_once_v2.
 * Seeded readings stream in at a fixed rate while a seeded-random instance is killed with SIGKILL (and
 * started again at once, as a supervisor would) several times, and the broker is stopped and started once;
 * the instances must ride that out by themselves. Each disruption's recovery is timed: until the first new
 * committed score on the partitions it stopped, and until the input lag is back under a second of readings.
 * At the end every committed score is audited against the undisturbed offline run ({@link ScoreAudit}).
 */
public final class CrashSoak {

  private static final String APPLICATION_ID = "streamlstm-soak";
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(300);
  private static final String INSTANCE_HEAP = "512m";
  /** Lines of an instance's output shown when it is not RUNNING at the end. */
  private static final int LAST_LINES_SHOWN = 60;

  /** What to run; {@code workDir} holds the broker's log and the instances' state, and is deleted after. */
  public record Options(long readings, int sensors, long seed, double rate, int kills, int standbyReplicas,
      int partitions, int streamThreads, Path workDir) {}

  /**
   * One disruption: what it was, when (readings sent by then, seconds since the first), and seconds from
   * it to the first new committed score on the partitions it stopped and to the lag being caught up, null
   * if that did not happen within {@link #RECOVERY_TIMEOUT}.
   */
  public record Recovery(String event, long atReading, double atSeconds, Double firstScoreSeconds,
      Double caughtUpSeconds, String detail) {
    public boolean recovered() {
      return firstScoreSeconds != null && caughtUpSeconds != null;
    }

    @Override
    public String toString() {
      return String.format("%-28s at reading %,9d (%6.1f s): first new score after %s, lag caught up after %s; %s",
          event, atReading, atSeconds, seconds(firstScoreSeconds), seconds(caughtUpSeconds), detail);
    }

    private static String seconds(Double s) {
      return s == null ? "NONE within " + RECOVERY_TIMEOUT.toSeconds() + " s" : String.format("%.1f s", s);
    }
  }

  /** The outcome: every recovery, the audit of the scores, whether both instances ended RUNNING. */
  public record Report(List<Recovery> recoveries, ScoreAudit.Result audit, long sendFailures,
      boolean instancesRunning, Duration wallTime) {
    public boolean passed() {
      return audit.clean() && sendFailures == 0 && instancesRunning && recoveries.stream().allMatch(Recovery::recovered);
    }
  }

  private final Options options;
  private final PrintStream log;
  private final StreamSettings topics = StreamSettings.defaults();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final long caughtUpLag;
  private String bootstrapServers;
  private long startNanos;

  private CrashSoak(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
    // Lag under one second of readings: what the instances hold between two commits, not a backlog.
    this.caughtUpLag = Math.max(1, (long) options.rate());
  }

  /** Runs the soak and returns its report; progress goes to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return new CrashSoak(options, log).run();
  }

  private Report run() throws Exception {
    long wallStart = System.nanoTime();
    Files.createDirectories(options.workDir());
    BrokerProcess broker = new BrokerProcess(options.workDir().resolve("broker"));
    bootstrapServers = broker.bootstrapServers();
    ServiceProcess a = null;
    ServiceProcess b = null;
    AtomicBoolean stopMonitor = new AtomicBoolean();
    Thread monitor = null;
    try {
      EmbeddedKafka.createTopics(bootstrapServers, options.partitions(), topics.inputTopic(), topics.scoresTopic(),
          topics.anomaliesTopic(), topics.deadLetterTopic());
      a = ServiceProcess.start(instanceConfig("a"), options.workDir().resolve("a.properties"), INSTANCE_HEAP);
      b = ServiceProcess.start(instanceConfig("b"), options.workDir().resolve("b.properties"), INSTANCE_HEAP);
      log.printf("soak: broker and two instances up; %,d readings over %,d sensors at %.0f/s, %d kills, "
              + "num.standby.replicas=%d, num.stream.threads=%d, %d partitions, seed %d%n", options.readings(),
          options.sensors(), options.rate(), options.kills(), options.standbyReplicas(), options.streamThreads(),
          options.partitions(), options.seed());
      monitor = new Thread(() -> watchScores(stopMonitor), "soak-score-monitor");
      monitor.start();

      ScoreAudit audit = new ScoreAudit();
      startNanos = System.nanoTime();
      Thread sender = new Thread(() -> send(audit), "soak-sender");
      sender.start();
      List<Recovery> recoveries = new ArrayList<>();
      try (Admin admin = admin()) {
        for (PlannedEvent event : plan()) {
          while (sent.get() < event.atReading() && sender.isAlive()) Thread.sleep(10);
          if (event.brokerRestart()) {
            recoveries.add(restartBroker(admin, broker));
          } else {
            String victim = victim(admin, event.preferA());
            recoveries.add(killAndRestart(admin, victim.equals("a") ? a : b, victim));
          }
          log.println("soak: " + recoveries.get(recoveries.size() - 1));
        }
        sender.join();
        awaitDrained(admin);
      }
      boolean running = awaitReady(a, "a") & awaitReady(b, "b"); // not &&: each one not RUNNING says why
      long[] committedEnds = committedEnds();
      stopMonitor.set(true);
      monitor.join();
      auditScores(audit, committedEnds);
      Report report = new Report(recoveries, audit.result(), sendFailures.get(), running,
          Duration.ofNanos(System.nanoTime() - wallStart));
      log.println("soak: " + report.audit() + "; readings the broker refused: " + report.sendFailures()
          + "; both instances RUNNING at the end: " + running);
      log.printf("soak: %s in %.0f s wall time%n", report.passed() ? "PASSED" : "FAILED", report.wallTime().toMillis() / 1e3);
      return report;
    } finally {
      stopMonitor.set(true);
      if (monitor != null) monitor.join();
      if (a != null) a.close();
      if (b != null) b.close();
      broker.close();
      EmbeddedKafka.deleteRecursively(options.workDir());
    }
  }

  /** A disruption planned at a reading count: the broker restart, or a kill of (preferably) instance a or b. */
  private record PlannedEvent(long atReading, boolean brokerRestart, boolean preferA) {}

  /**
   * The kills and the broker restart, each at a seeded-random reading within its own slot of the middle
   * 80 % of the run (early in the slot, so its recovery fits before the next), the broker's slot drawn too.
   */
  private List<PlannedEvent> plan() {
    Random random = new Random(options.seed());
    int events = options.kills() + 1;
    int brokerSlot = random.nextInt(events);
    double slot = 0.8 * options.readings() / events;
    List<PlannedEvent> plan = new ArrayList<>();
    for (int n = 0; n < events; n++) {
      long at = (long) (0.1 * options.readings() + slot * (n + 0.4 * random.nextDouble()));
      plan.add(new PlannedEvent(at, n == brokerSlot, random.nextBoolean()));
    }
    return plan;
  }

  /** The seeded choice, unless only the other instance holds active tasks: killing an idle one tests nothing. */
  private String victim(Admin admin, boolean preferA) throws Exception {
    String preferred = preferA ? "a" : "b";
    String other = preferA ? "b" : "a";
    boolean preferredIdle = activePartitions(admin, clientId(preferred)).isEmpty();
    return preferredIdle && !activePartitions(admin, clientId(other)).isEmpty() ? other : preferred;
  }

  private Map<String, String> instanceConfig(String name) throws Exception {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", bootstrapServers);
    c.put("application.id", APPLICATION_ID);
    c.put("client.id", clientId(name));
    c.put("state.dir", Files.createDirectories(options.workDir().resolve("state-" + name)).toString());
    c.put("processing.guarantee", "exactly_once_v2");
    c.put("num.standby.replicas", Integer.toString(options.standbyReplicas()));
    c.put("num.stream.threads", Integer.toString(options.streamThreads()));
    c.put(AppConfig.TOPIC_PARTITIONS, Integer.toString(options.partitions()));
    c.putAll(ServiceProcess.QUICK_FAILURE_DETECTION);
    // Tasks go back to a restarted instance once it has caught up: after a minute (the least allowed), not 10.
    c.put("probing.rebalance.interval.ms", "60000");
    return c;
  }

  private static String clientId(String instance) {
    return "soak-" + instance;
  }

  // ---- readings ----

  private void send(ScoreAudit audit) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Idempotent, and patient enough to ride out the broker restart without losing or repeating a reading.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DRAIN_TIMEOUT.toMillis()));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(DRAIN_TIMEOUT.toMillis()));
    Simulation simulation = new Simulation(options.sensors(), options.seed());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (long n = 0; n < options.readings(); n++) {
        long due = startNanos + (long) (n * 1e9 / options.rate());
        for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
        SimulatedReading r = simulation.next();
        audit.sent(r);
        producer.send(new ProducerRecord<>(topics.inputTopic(), r.sensorId(), SimulateCommand.toJson(r)),
            (metadata, error) -> {
              if (error != null) sendFailures.incrementAndGet();
            });
        sent.incrementAndGet();
      }
      producer.flush();
    }
  }

  // ---- disruptions ----

  private Recovery killAndRestart(Admin admin, ServiceProcess victim, String name) throws Exception {
    long atReading = sent.get();
    Set<Integer> partitions = activePartitions(admin, clientId(name));
    long killed = System.nanoTime();
    victim.kill();
    // Where the scores' logs end once the victim is dead: what comes after is another instance's work.
    // An instance between assignments holds no task: then any partition's next score is the recovery.
    Watch watch = watch(admin, partitions.isEmpty() ? null : partitions);
    // Restarted at once, as a supervisor would; timed alongside, since the survivor may catch up first.
    CompletableFuture<Double> restarted = CompletableFuture.supplyAsync(() -> {
      try {
        victim.restart();
        return (System.nanoTime() - killed) / 1e9;
      } catch (InterruptedException e) {
        throw new CompletionException(e);
      }
    });
    Timing timing = awaitRecovery(killed, watch, admin);
    return new Recovery("SIGKILL " + name + " + restart", atReading, (killed - startNanos) / 1e9, timing.firstScore(), timing.caughtUp(),
        String.format("it held partitions %s; restarted and RUNNING again after %.1f s", partitions, restarted.get()));
  }

  private Recovery restartBroker(Admin admin, BrokerProcess broker) throws Exception {
    long atReading = sent.get();
    long stopped = System.nanoTime();
    broker.restart();
    double down = (System.nanoTime() - stopped) / 1e9;
    // Scores committed while the broker was shutting down are not a recovery: count from its return.
    Watch watch = watch(admin, null);
    Timing timing = awaitRecovery(stopped, watch, admin);
    return new Recovery("broker restart", atReading, (stopped - startNanos) / 1e9, timing.firstScore(), timing.caughtUp(),
        String.format("broker stopped (SIGTERM) and serving again after %.1f s", down));
  }

  /** Seconds until the first new score and until the lag was caught up; null: not within the timeout. */
  private record Timing(Double firstScore, Double caughtUp) {}

  /** Waits for the watch to fire and then for the lag to come down, each timed from {@code since}. */
  private Timing awaitRecovery(long since, Watch watch, Admin admin) throws InterruptedException {
    long deadline = since + RECOVERY_TIMEOUT.toNanos();
    while (watch.firedNanos.get() < 0 && System.nanoTime() < deadline) Thread.sleep(20);
    Double firstScore = watch.firedNanos.get() < 0 ? null : (watch.firedNanos.get() - since) / 1e9;
    Double caughtUp = null;
    while (firstScore != null && System.nanoTime() < deadline) {
      Long lag = inputLag(admin);
      if (lag != null && lag <= caughtUpLag) {
        caughtUp = (System.nanoTime() - since) / 1e9;
        break;
      }
      Thread.sleep(100);
    }
    watches.remove(watch);
    return new Timing(firstScore, caughtUp);
  }

  /**
   * Input partitions the instance's stream threads hold as active tasks: of the readings topic only, since a
   * thread may also hold the feedback topic's intake tasks, whose partitions score nothing.
   */
  private Set<Integer> activePartitions(Admin admin, String clientId) throws Exception {
    Set<Integer> partitions = new TreeSet<>();
    for (MemberDescription member : admin.describeConsumerGroups(List.of(APPLICATION_ID)).all()
        .get(30, TimeUnit.SECONDS).get(APPLICATION_ID).members()) {
      if (!member.clientId().startsWith(clientId + "-")) continue;
      for (TopicPartition tp : member.assignment().topicPartitions()) {
        if (tp.topic().equals(topics.inputTopic())) partitions.add(tp.partition());
      }
    }
    return partitions;
  }

  // ---- observing the scores and the lag ----

  /**
   * Fires at the first committed score past the log's end, when the watch was set, of the given partitions of the
   * scores topic (null: any partition). Past the log's end rather than past the committed scores' end: a killed
   * instance's last commit may complete after its death, and its scores, written before, must not count as another
   * instance's recovery. Input partition p's scores go to scores partition p: same key, same partition count.
   */
  private static final class Watch {
    final Set<Integer> partitions;
    final long[] from;
    final AtomicLong firedNanos = new AtomicLong(-1);

    Watch(Set<Integer> partitions, long[] from) {
      this.partitions = partitions;
      this.from = from;
    }

    void seen(ConsumerRecord<?, ?> record, long now) {
      if ((partitions == null || partitions.contains(record.partition())) && record.offset() >= from[record.partition()]) {
        firedNanos.compareAndSet(-1, now);
      }
    }
  }

  private Watch watch(Admin admin, Set<Integer> partitions) throws Exception {
    Watch watch = new Watch(partitions, ends(admin, IsolationLevel.READ_UNCOMMITTED));
    watches.add(watch);
    return watch;
  }

  /** Tails the scores topic read_committed, so a watch fires when a score becomes visible to readers. */
  private void watchScores(AtomicBoolean stop) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readCommitted(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(scorePartitions());
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          for (Watch watch : watches) watch.seen(record, now);
        }
      }
    }
  }

  /** Readings sent but not yet committed as processed by the application; null while the broker is away. */
  private Long inputLag(Admin admin) {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < options.partitions(); p++) latest.put(new TopicPartition(topics.inputTopic(), p), OffsetSpec.latest());
      long lag = 0;
      for (var info : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).values()) lag += info.offset();
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(APPLICATION_ID)
          .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS).entrySet()) {
        if (e.getKey().topic().equals(topics.inputTopic()) && e.getValue() != null) lag -= e.getValue().offset();
      }
      return lag;
    } catch (Exception brokerAway) {
      return null;
    }
  }

  /** After the last reading: waits until the application has committed all of them. */
  private void awaitDrained(Admin admin) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Long lag = inputLag(admin);
      if (lag != null && lag == 0) return;
      Thread.sleep(200);
    }
    log.println("soak: the input was not fully processed within " + DRAIN_TIMEOUT);
  }

  /** Whether the instance is RUNNING within a minute; if not, its last lines go to the log, to say why. */
  private boolean awaitReady(ServiceProcess instance, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && instance.isAlive()) {
      if (instance.ready()) return true;
      Thread.sleep(200);
    }
    List<String> lines = instance.lines();
    log.printf("soak: instance %s %s; its last lines:%n%s%n", name, instance.isAlive() ? "not RUNNING" : "exited",
        String.join("\n", lines.subList(Math.max(0, lines.size() - LAST_LINES_SHOWN), lines.size())));
    return false;
  }

  /**
   * Where the committed scores end once every transaction has ended: the last stable offset of each scores
   * partition, once it has reached the log's end. The input's offsets show as committed when the coordinator has
   * written the commit to the offsets topic; the same commit's markers reach the scores partitions a moment later,
   * and until then the last transaction's scores would be missing from the audit.
   */
  private long[] committedEnds() throws Exception {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long[] committed = ends(admin, IsolationLevel.READ_COMMITTED);
      while (!Arrays.equals(committed, ends(admin, IsolationLevel.READ_UNCOMMITTED)) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        committed = ends(admin, IsolationLevel.READ_COMMITTED);
      }
      return committed;
    }
  }

  /** Where each scores partition ends now: its committed scores (READ_COMMITTED) or its whole log. */
  private long[] ends(Admin admin, IsolationLevel isolation) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartition tp : scorePartitions()) latest.put(tp, OffsetSpec.latest());
    long[] ends = new long[options.partitions()];
    admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends[tp.partition()] = info.offset());
    return ends;
  }

  /** Reads every committed score from the start up to {@code ends}, in offset order per partition. */
  private void auditScores(ScoreAudit audit, long[] ends) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readCommitted(),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = scorePartitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      boolean done = false;
      while (!done && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < ends[record.partition()]) audit.score(record.key(), record.value());
        }
        done = partitions.stream().allMatch(tp -> consumer.position(tp) >= ends[tp.partition()]);
      }
    }
  }

  private Properties readCommitted() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  private List<TopicPartition> scorePartitions() {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < options.partitions(); p++) all.add(new TopicPartition(topics.scoresTopic(), p));
    return all;
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
  }
}
