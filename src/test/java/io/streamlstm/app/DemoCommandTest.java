package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.DetectorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The offline demo's fault lines agree with its summary (the live demo's summary is DemoCommandIT's). */
class DemoCommandTest {

  private static final Pattern SUMMARY = Pattern.compile("Injected faults: (\\d+), of which (\\d+) within an episode");
  private static final Pattern FAULT =
      Pattern.compile("FAULT \\S+ +\\S+ +\\S+ +\\d+ readings (caught|missed) peak (\\d\\.\\d+) [A-Z_]+ [+-]\\d+\\.\\d (spreads|repeats) at \\+\\d+");

  private static String offline(String... extra) {
    DemoCommand demo = new DemoCommand();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("--offline", "--duration", "30", "--seed", "7"));
    args.addAll(List.of(extra));
    assertEquals(0, new CommandLine(demo).execute(args.toArray(String[]::new)));
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
  void withoutFaultsTheSummaryIsTheSame() {
    String plain = offline();
    String withFaults = offline("--faults");
    assertTrue(plain.lines().noneMatch(line -> line.startsWith("FAULT ")));
    assertEquals(plain.lines().toList(), withFaults.lines().filter(line -> !line.startsWith("FAULT ")).toList());
  }
}
