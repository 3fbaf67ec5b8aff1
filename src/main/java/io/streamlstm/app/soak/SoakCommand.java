package io.streamlstm.app.soak;

import io.streamlstm.app.EmbeddedKafka;
import io.streamlstm.streams.ScoringTopology;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamlstm soak}: the crash soak ({@link CrashSoak}); exits 0 only if every check passed. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
        "Crash soak: a broker and two service instances as separate JVMs (exactly_once_v2) while readings stream in; "
            + "instances are killed with SIGKILL and restarted, the broker is restarted once. Prints each recovery's "
            + "time and audits every committed score against the undisturbed offline run (none lost, none duplicated, "
            + "all bit-equal). Takes the readings' time at --rate plus a few minutes."})
public final class SoakCommand implements Callable<Integer> {

  @Option(names = "--readings", defaultValue = "1000000", description = "Readings sent (default: ${DEFAULT-VALUE}).")
  long readings;

  @Option(names = "--sensors", defaultValue = "10000", description = "Sensors they spread over (default: ${DEFAULT-VALUE}).")
  int sensors;

  @Option(names = "--rate", defaultValue = "3000", description = "Readings/s sent (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--kills", defaultValue = "3", description = "SIGKILLs of an instance, each restarted (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--standby-replicas", defaultValue = "0",
      description = "num.standby.replicas of the instances (default: ${DEFAULT-VALUE}).")
  int standbyReplicas;

  @Option(names = "--threads", defaultValue = "" + ScoringTopology.STREAM_THREADS,
      description = "num.stream.threads of each instance (default: ${DEFAULT-VALUE}, the service's).")
  int streamThreads;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the readings and of the kill moments (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    EmbeddedKafka.quietLogs();
    // The broker restart is deliberate: the soak's own clients' retries while it is away are no news.
    EmbeddedKafka.logLevelUnlessSet("org.apache.kafka.clients", "error");
    CrashSoak.Options options = new CrashSoak.Options(readings, sensors, seed, rate, kills, standbyReplicas, partitions,
        streamThreads, Files.createTempDirectory("streamlstm-soak-"));
    return CrashSoak.run(options, System.out).passed() ? 0 : 1;
  }
}
