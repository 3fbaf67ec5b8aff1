package io.streamlstm.it;

import io.streamlstm.app.soak.JavaProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.Main;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code streamlstm bench}, small: every mode runs to its end on its own broker and reports figures that
 * make sense. Speeds are only reported, never asserted (BENCHMARKS.md has the measured ones); the store's
 * bytes per sensor are a size, and asserted.
 */
class BenchCommandIT {

  private static final Pattern MEDIAN = Pattern.compile(
      "throughput, median of 1 rounds: no-op ([\\d,]+) records/s, detector ([\\d,]+) records/s, ratio ([\\d.]+)");
  private static final Pattern STORE = Pattern.compile("store: ([\\d,]+) sensors, [\\d,]+ bytes of keys and values = ([\\d.]+) bytes per sensor");
  private static final Pattern LATENCY =
      Pattern.compile("n=(\\d+): p50 ([\\d.]+) ms.*?(; (\\d+) never scored)?$", Pattern.MULTILINE);
  private static final Pattern PAGE_ROUND = Pattern.compile("^round 1 .*the page read ([\\d,]+) of ([\\d,]+) scores",
      Pattern.MULTILINE);
  private static final Pattern PAGE = Pattern.compile("scoring CPU per reading with the page / without ([\\d.]+)");
  private static final Pattern MEMORY = Pattern.compile("memory: ([\\d,]+) sensors .*store ([\\d,]+) sensors");

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  @Test
  void everyModeRunsAndReportsSaneFigures() throws Exception {
    JavaProcess bench = JavaProcess.start(Main.class, List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g"),
        "bench", "--readings", "3000", "--sensors", "60", "--rounds", "1", "--mode", "throughput,latency,memory,page",
        "--latency-rate", "200", "--latency-seconds", "5", "--page-rate", "500");
    int exit = bench.awaitExit(Duration.ofSeconds(300));
    String output = String.join("\n", bench.lines());
    assertEquals(0, exit, output);

    Matcher median = MEDIAN.matcher(output);
    assertTrue(median.find(), output);
    assertTrue(number(median.group(1)) > 0 && number(median.group(2)) > 0, output);

    Matcher store = STORE.matcher(output);
    assertTrue(store.find(), output);
    assertEquals(60, number(store.group(1)), "one stored state per sensor\n" + output);
    assertTrue(Double.parseDouble(store.group(2)) < 2048, "a sensor's key and state fit in 2 KiB\n" + output);

    Matcher latency = LATENCY.matcher(output);
    assertTrue(latency.find(), output);
    assertTrue(Integer.parseInt(latency.group(1)) > 0, output);
    assertEquals(null, latency.group(4), "every timed reading was scored\n" + output);

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
  }
}
