package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.DetectorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The offline demo's fault lines agree with its summary (the live demo's summary and fault lines are DemoCommandIT's). */
class DemoCommandTest {

  private static final Pattern SUMMARY =
      Pattern.compile("Injected faults: (\\d+), of which (\\d+) within an episode; (\\d+) episodes outside");
  private static final Pattern FAULT = Pattern.compile(
      "FAULT \\S+ +\\S+ +\\S+ +\\d+ readings (caught|missed) peak (\\d\\.\\d+) [A-Z_]+ [+-]\\d+\\.\\d (spreads|repeats) at \\+\\d+");

  private static String offline(String... extra) {
    List<String> args = new ArrayList<>(List.of("--offline", "--duration", "30", "--seed", "7"));
    args.addAll(List.of(extra));
    return demo(args.toArray(String[]::new));
  }

  private static String demo(String... args) {
    DemoCommand demo = new DemoCommand();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, new CommandLine(demo).execute(args));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyFaultHasALineAndTheCaughtOnesAreTheSummarys() {
    String output = offline("--faults");
    Matcher summary = SUMMARY.matcher(output);
    assertTrue(summary.find(), output);
    int injected = Integer.parseInt(summary.group(1));
    int caught = Integer.parseInt(summary.group(2));
    List<String> faults = output.lines().filter(line -> line.startsWith("FAULT ")).toList();
    assertEquals(injected, faults.size(), output);
    int caughtLines = 0;
    int missedAboveThreshold = 0;
    for (String line : faults) {
      Matcher fault = FAULT.matcher(line.replaceAll(" +", " "));
      assertTrue(fault.matches(), line);
      if (fault.group(1).equals("caught")) caughtLines++;
      // A fault whose peak reached the alarm level opened an episode over it: none is called missed then.
      else if (Double.parseDouble(fault.group(2)) >= DetectorConfig.defaults().anomalyThreshold()) missedAboveThreshold++;
    }
    assertEquals(caught, caughtLines, output);
    assertEquals(0, missedAboveThreshold, output);
    assertNotEquals(0, injected);
  }

  @Test
  void eachEpisodeOutsideTheFaultsHasALineAndNoneIsAFaultsEnd() {
    String output = demo("--offline", "--duration", "60", "--seed", "1", "--faults");
    Matcher summary = SUMMARY.matcher(output);
    assertTrue(summary.find(), output);
    List<String> outside = output.lines().filter(line -> line.startsWith("OUTSIDE ")).toList();
    assertEquals(Integer.parseInt(summary.group(3)), outside.size(), output);
    assertNotEquals(0, outside.size(), "the seed's run has an alarm outside its faults to show");
    // A drift ends with a jump back on the next reading: an alarm there is the drift's, not one outside it.
    List<String> faultEnds = output.lines().filter(line -> line.startsWith("FAULT ")).map(line -> {
      String[] f = line.split(" +");
      Instant end = Instant.parse(f[3]).plus(Duration.ofMinutes(Long.parseLong(f[4]) - 1));
      return f[1] + " " + end.plus(Duration.ofMinutes(1));
    }).toList();
    for (String line : outside) {
      String[] o = line.split(" +");
      assertFalse(faultEnds.contains(o[1] + " " + Instant.parse(o[2])), line);
    }
  }

  @Test
  void faultLinesNeedADurationLiveAsOffline() {
    DemoCommand demo = new DemoCommand();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    CommandLine command = new CommandLine(demo);
    command.setErr(new PrintWriter(errors, true, StandardCharsets.UTF_8));
    // Live, every score is kept for the fault lines: without an end that would grow without bound.
    assertNotEquals(0, command.execute("--faults", "--kafka-port", "0", "--http-port", "0"));
    assertTrue(errors.toString(StandardCharsets.UTF_8).contains("--faults needs --duration"), errors.toString());
  }

  @Test
  void withoutFaultsTheSummaryIsTheSame() {
    String plain = offline();
    String withFaults = offline("--faults");
    assertTrue(plain.lines().noneMatch(line -> line.startsWith("FAULT ") || line.startsWith("OUTSIDE ")));
    assertEquals(plain.lines().toList(),
        withFaults.lines().filter(line -> !line.startsWith("FAULT ") && !line.startsWith("OUTSIDE ")).toList());
  }
}
