package io.streamlstm.app;

import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.detect.simulation.Simulation;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamlstm simulate}: simulated sensors with injected faults, written to Kafka, ground truth to a file. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Writes readings of simulated sensors (daily cycle, noise, slow drift) with injected faults (spike, "
            + "level shift, stuck sensor, noise burst, drift) to a topic, keyed by sensor id, as JSON: "
            + "{\"sensorId\":\"sensor-3\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1.23}.",
        "Simulated time advances --step-seconds per reading of a sensor, however fast they are sent. "
            + "Runs until --duration or --count is reached, or Ctrl-C."})
public final class SimulateCommand implements Runnable {

  @Option(names = "--bootstrap-server", required = true, description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = "sensor-readings", description = "Topic to write to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--sensors", defaultValue = "10", description = "Number of sensors (default: ${DEFAULT-VALUE}).")
  int sensors;

  @Option(names = "--rate", defaultValue = "100",
      description = "Readings per second over all sensors; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @ArgGroup(exclusive = true)
  Limit limit = new Limit();

  static final class Limit {
    @Option(names = "--duration", description = "Stop after this many seconds.")
    Double durationSeconds;

    @Option(names = "--count", description = "Stop after this many readings.")
    Long count;
  }

  @Option(names = "--truth", description = "Write the injected faults here as CSV: sensorId,start,end,kind.")
  Path truthFile;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--step-seconds", defaultValue = "60",
      description = "Simulated seconds between two readings of a sensor (default: ${DEFAULT-VALUE}).")
  long stepSeconds;

  @Override
  public void run() {
    if (sensors < 1) throw new IllegalArgumentException("--sensors must be >= 1");
    if (rate < 0) throw new IllegalArgumentException("--rate must be >= 0");
    Simulation simulation = new Simulation(sensors, seed, Simulation.DEFAULT_START, stepSeconds * 1000);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      stop.set(true);
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try (Producer<String, byte[]> producer = producer(bootstrapServers)) {
      long limitCount = limit.count != null ? limit.count : Long.MAX_VALUE;
      long limitNanos = limit.durationSeconds != null ? (long) (limit.durationSeconds * 1e9) : Long.MAX_VALUE;
      long sent = send(simulation, producer, topic, rate, limitCount, limitNanos, stop);
      System.out.printf("sent %d readings of %d sensors to %s%n", sent, sensors, topic);
    } finally {
      if (truthFile != null) {
        simulation.writeGroundTruth(truthFile);
        System.out.printf("wrote %d injected faults to %s%n", simulation.groundTruth().size(), truthFile);
      }
      finished.countDown();
      if (!stop.get()) Runtime.getRuntime().removeShutdownHook(onCtrlC);
    }
  }

  /** The reading as the service expects it on its input topic. */
  public static byte[] toJson(SimulatedReading reading) {
    return ("{\"sensorId\":\"" + reading.sensorId() + "\",\"timestamp\":\"" + Timestamps.format(reading.timestampMillis())
        + "\",\"value\":" + reading.value() + "}").getBytes(StandardCharsets.UTF_8);
  }

  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, "5",
        ProducerConfig.CLIENT_ID_CONFIG, "streamlstm-simulator"),
        new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Sends readings at {@code rate} per second (0: unpaced) until {@code count} are sent, {@code maxNanos}
   * passed or {@code stop} is set; flushes and returns how many were sent. Paced against the start
   * time, not the previous send, so a slow moment is caught up rather than lost.
   *
   * @throws IllegalStateException after the flush if the broker refused any reading for good
   */
  public static long send(Simulation simulation, Producer<String, byte[]> producer, String topic, double rate,
      long count, long maxNanos, AtomicBoolean stop) {
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long sent = 0;
    while (sent < count && !stop.get()) {
      long elapsed = System.nanoTime() - start;
      if (elapsed >= maxNanos) break;
      if (rate > 0) {
        long due = (long) (sent * 1e9 / rate);
        if (due > elapsed) {
          LockSupport.parkNanos(Math.min(due - elapsed, 50_000_000L));
          continue;
        }
      }
      SimulatedReading reading = simulation.next();
      producer.send(new ProducerRecord<>(topic, reading.sensorId(), toJson(reading)), (metadata, error) -> {
        if (error != null && failed.getAndIncrement() == 0) firstError.set(error);
      });
      sent++;
    }
    producer.flush();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " of " + sent + " readings were not written to " + topic,
          firstError.get());
    }
    return sent;
  }
}
