package io.streamlstm.it;

import io.streamlstm.app.soak.JavaProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.Main;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code streamlstm bench}, small: every mode runs to its end on its own broker, with main's former settings as a
 * baseline beside the service's and an override on each side, and reports figures that make sense. Speeds are only reported, never asserted (BENCHMARKS.md has the measured ones); the store's
 * bytes per sensor are a size, and asserted.
 */
class BenchCommandIT {

  private static final Pattern MEDIAN = Pattern.compile(
      "throughput, median of 1 rounds: no-op ([\\d,]+) records/s, detector ([\\d,]+) records/s, ratio ([\\d.]+)");
  private static final Pattern STORE = Pattern.compile("store: ([\\d,]+) sensors, [\\d,]+ bytes of keys and values = ([\\d.]+) bytes per sensor");
  private static final Pattern BASELINE = Pattern.compile(
      "baseline, median of 1 rounds: ([\\d,]+) records/s; detector / baseline ([\\d.]+)");
  private static final Pattern SETTINGS = Pattern.compile("^settings: \\{(.*)}$", Pattern.MULTILINE);
  private static final Pattern BASELINE_SETTINGS = Pattern.compile("^baseline settings: \\{(.*)}$", Pattern.MULTILINE);
  private static final Pattern LATENCY = Pattern.compile(
      "^round 1 +latency(.*?), produce to committed score.*n=(\\d+): p50 ([\\d.]+) ms.*?(; (\\d+) never scored)?$",
      Pattern.MULTILINE);
  private static final Pattern LATENCY_MEDIAN = Pattern.compile("latency(.*?), median of 1 rounds at 200 readings/s: p99 ([\\d.]+) ms");
  private static final Pattern PAGE_ROUND = Pattern.compile("^round 1 .*the page read ([\\d,]+) of ([\\d,]+) scores",
      Pattern.MULTILINE);
  private static final Pattern PAGE = Pattern.compile("scoring CPU per reading with the page / without ([\\d.]+)");
  private static final Pattern MEMORY = Pattern.compile(
      "memory(?: \\(baseline settings\\))?: ([\\d,]+) sensors .*store ([\\d,]+) sensors");
  private static final Pattern RESIDENT = Pattern.compile("RocksDB \\((\\d+) store instances\\): block cache in use .*"
      + "resident memory \\(whole process, broker included\\) ([\\d,]+) MiB, highest ([\\d,]+) MiB");

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  @Test
  void everyModeRunsAndReportsSaneFigures() throws Exception {
    JavaProcess bench = JavaProcess.start(Main.class, List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g"),
        "bench", "--readings", "3000", "--sensors", "60", "--rounds", "1", "--mode", "throughput,latency,memory,page",
        "--latency-rate", "200", "--latency-seconds", "5", "--page-rate", "500", "--baseline",
        "--streams-config", "commit.interval.ms=200", "--baseline-config", "producer.linger.ms=5");
    int exit = bench.awaitExit(Duration.ofSeconds(480));
    String output = String.join("\n", bench.lines());
    assertEquals(0, exit, output);

    Matcher median = MEDIAN.matcher(output);
    assertTrue(median.find(), output);
    assertTrue(number(median.group(1)) > 0 && number(median.group(2)) > 0, output);

    Matcher settings = SETTINGS.matcher(output);
    assertTrue(settings.find(), output);
    assertTrue(settings.group(1).contains("commit.interval.ms=200"), "an override reaches the runs\n" + output);
    assertTrue(settings.group(1).contains("producer.compression.type=lz4"), "over the service's defaults\n" + output);
    Matcher baselineSettings = BASELINE_SETTINGS.matcher(output);
    assertTrue(baselineSettings.find(), output);
    assertEquals("max.task.idle.ms=-1, processing.guarantee=exactly_once_v2, producer.linger.ms=5",
        baselineSettings.group(1), "main's former settings, and the baseline's own override\n" + output);
    Matcher versusBaseline = BASELINE.matcher(output);
    assertTrue(versusBaseline.find(), output);
    assertTrue(number(versusBaseline.group(1)) > 0 && Double.parseDouble(versusBaseline.group(2)) > 0, output);

    Matcher store = STORE.matcher(output);
    assertTrue(store.find(), output);
    assertEquals(60, number(store.group(1)), "one stored state per sensor\n" + output);
    assertTrue(Double.parseDouble(store.group(2)) < 2048, "a sensor's key and state fit in 2 KiB\n" + output);

    // The service's settings and the baseline's, each once in the counted round and in the medians.
    Matcher latency = LATENCY.matcher(output);
    Set<String> timed = new HashSet<>();
    while (latency.find()) {
      timed.add(latency.group(1));
      assertTrue(Integer.parseInt(latency.group(2)) > 0, output);
      assertEquals(null, latency.group(5), "every timed reading was scored\n" + output);
    }
    assertEquals(Set.of("", " (baseline settings)"), timed, output);
    Matcher latencyMedian = LATENCY_MEDIAN.matcher(output);
    Set<String> summed = new HashSet<>();
    while (latencyMedian.find()) {
      summed.add(latencyMedian.group(1));
      assertTrue(Double.parseDouble(latencyMedian.group(2)) > 0, output);
    }
    assertEquals(timed, summed, output);

    Matcher pageRound = PAGE_ROUND.matcher(output);
    assertTrue(pageRound.find(), output);
    assertTrue(number(pageRound.group(2)) > 0, output);
    assertEquals(number(pageRound.group(2)), number(pageRound.group(1)), "the page read every score\n" + output);
    Matcher page = PAGE.matcher(output);
    assertTrue(page.find(), output);
    assertTrue(Double.parseDouble(page.group(1)) > 0, output);

    Matcher memory = MEMORY.matcher(output);
    assertTrue(memory.find(), output);
    assertEquals(number(memory.group(1)), number(memory.group(2)), "every sensor's state stored\n" + output);
    Matcher resident = RESIDENT.matcher(output);
    assertTrue(resident.find(), output);
    assertEquals(24, Integer.parseInt(resident.group(1)), "six stores of four partitions report\n" + output);
    assertTrue(number(resident.group(2)) > 0 && number(resident.group(3)) >= number(resident.group(2)), output);
  }
}
