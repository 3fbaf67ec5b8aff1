package io.streamlstm.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM from Kafka's
 * own production classes. The demo, the bench and the integration tests use it where no broker is given.
 *
 * <p>Clients connect to {@code 127.0.0.1:<port>}. Replication factors and min ISR are 1 so the internal
 * topics, including the transaction state that exactly-once needs, can exist on one node. The log
 * directory is a temp directory deleted on {@link #close()}.
 *
 * <p>{@link #main} runs the same broker as its own JVM, for tests that must kill processes hard.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /**
   * The settings that change what clients see, as opposed to how this single node is laid out. Tests
   * give a containerised broker the same ones, so a test behaves alike on either broker.
   */
  public static final Map<String, String> CLIENT_VISIBLE_SETTINGS = Map.of(
      // A consumer group forms at once instead of waiting for more members that never come.
      "group.initial.rebalance.delay.ms", "0",
      // A transaction left open by a killed instance is aborted within seconds, so read_committed moves on.
      "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
      "group.min.session.timeout.ms", "1000",
      "auto.create.topics.enable", "false",
      // Readings carry their own event time, which the stream keeps on its output: a simulation may run
      // ahead of the clock, which a default broker refuses as more than an hour in the future.
      "log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE),
      // Time-based retention judges records by that event time: a simulation set months in the past had
      // every segment of its output deleted at the next retention check (every 5 minutes), scores lost
      // before anyone read them. This broker lives as long as its process; size is its only limit.
      "log.retention.ms", "-1");


  private final KafkaRaftServer server;
  private final Path logDir; // null: kept for a restart
  private final int port;

  private EmbeddedKafka(KafkaRaftServer server, Path logDir, int port) {
    this.server = server;
    this.logDir = logDir;
    this.port = port;
  }

  /** Starts a broker on a free port. */
  public static EmbeddedKafka start() {
    return start(0);
  }

  /** Starts a broker listening on {@code 127.0.0.1:port} (0: a free port); returns once it serves clients. */
  public static EmbeddedKafka start(int port) {
    Path logDir;
    try {
      logDir = Files.createTempDirectory("streamlstm-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a log directory", e);
    }
    return start(port == 0 ? freePort() : port, freePort(), logDir, true);
  }

  /**
   * Starts a broker on fixed ports over {@code logDir}, formatting it only the first time, so the same
   * broker can be stopped and started again with its topics, offsets and transactions intact.
   */
  public static EmbeddedKafka start(int brokerPort, int controllerPort, Path logDir, boolean deleteLogsOnClose) {
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logDir, e);
    }
    Properties props = brokerProperties(brokerPort, controllerPort, logDir);
    if (!Files.exists(logDir.resolve("meta.properties"))) format(props, logDir);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    EmbeddedKafka kafka = new EmbeddedKafka(server, deleteLogsOnClose ? logDir : null, brokerPort);
    try {
      server.startup();
      kafka.awaitReady();
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
  public void createTopics(int partitions, String... topics) {
    createTopics(bootstrapServers(), partitions, topics);
  }

  /**
   * Creates the topics that do not exist yet on any broker (replication 1: a test or demo cluster), and
   * returns once every partition's leader answers. Before that, a producer's first batch can bounce off
   * a partition not yet led while the next ones overtake it, and on a busy machine such out-of-order
   * batches may outlive their delivery timeout.
   */
  public static void createTopics(String bootstrapServers, int partitions, String... topics) {
    List<NewTopic> wanted = new ArrayList<>();
    for (String topic : topics) wanted.add(new NewTopic(topic, partitions, (short) 1));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      create(admin, wanted);
      awaitLeaders(admin, partitions, topics);
    }
  }

  private static void create(Admin admin, List<NewTopic> wanted) {
    admin.createTopics(wanted).values().forEach((topic, created) -> {
      try {
        created.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic, e.getCause());
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot create topic " + topic, e);
      }
    });
  }


  /** Waits until the leader of every partition answers a request for its latest offset. */
  private static void awaitLeaders(Admin admin, int partitions, String... topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      for (int p = 0; p < partitions; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("partitions of " + List.of(topics) + " have no leader", notYet);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for partition leaders", e);
      }
    }
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      if (logDir != null) deleteRecursively(logDir);
    }
  }

  /**
   * Runs a broker as its own process: {@code java -cp <classpath> io.streamlstm.app.EmbeddedKafka [port]},
   * or {@code ... port controllerPort logDir} for a broker that keeps its logs and can be started again.
   * Prints {@code READY <bootstrap servers>} once clients can connect, and stops on SIGTERM.
   */
  public static void main(String[] args) throws InterruptedException {
    quietLogs();
    EmbeddedKafka kafka = args.length == 3
        ? start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]), false)
        : start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }));
    System.out.println("READY " + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
  }

  /**
   * Keeps the broker's and the clients' INFO chatter (hundreds of lines a second at start) out of the
   * console, so the demo's own output stays readable. Takes effect for loggers created afterwards;
   * {@code -Dorg.slf4j.simpleLogger.log.<name>=info} still wins.
   */
  public static void quietLogs() {
    for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
      logLevelUnlessSet(name, "warn");
    }
    // With transactions v2 the broker refuses a transaction's later batches that overtake its first one
    // and the producer resends them (KAFKA-18202: retriable), yet the broker logs each at ERROR.
    logLevelUnlessSet("kafka.server.ReplicaManager", "off");
  }

  /** Sets a simple-logger level for {@code logger} and below, unless the command line set one. */
  public static void logLevelUnlessSet(String logger, String level) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) System.setProperty(key, level);
  }

  static Properties brokerProperties(int brokerPort, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: every internal topic must make do with one replica.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions: a single node starts its coordinators in a fraction of the time.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    p.putAll(CLIENT_VISIBLE_SETTINGS);
    return p;
  }

  private static void format(Properties props, Path logDir) {
    Path config = logDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config)) {
      props.store(out, "streamlstm embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(
          new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, print);
    }
    if (status != 0) {
      throw new IllegalStateException("formatting the broker's storage failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** The broker's startup returns before its listener takes requests; wait until metadata answers. */
  private void awaitReady() {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000"))) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("broker on " + bootstrapServers() + " did not become ready", e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
