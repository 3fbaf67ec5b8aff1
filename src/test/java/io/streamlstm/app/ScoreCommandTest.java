package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Explanation;
import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Network;
import io.streamlstm.lstm.Normalisation;
import io.streamlstm.streams.DippingSensor;
import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreCommandTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** NAB-style file: zone-less timestamps every 5 minutes, noise around 40 with a burst at row 1500. */
  private Path series(String name, String header, int rows, int columns) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder csv = new StringBuilder(header).append('\n');
    long start = Timestamps.parse("2014-02-14 14:30:00");
    for (int t = 0; t < rows; t++) {
      csv.append(Timestamps.format(start + t * 300_000L).replace("T", " ").replace("Z", ""));
      for (int c = 0; c < columns; c++) {
        double burst = t >= 1500 && t < 1504 && c == 0 ? 6 : 0;
        csv.append(',').append(40 + 10 * c + random.nextDouble(-1.7, 1.7) + burst);
      }
      csv.append('\n');
    }
    Path file = dir.resolve(name);
    Files.writeString(file, csv);
    return file;
  }

  private Path modelFile(int channels) {
    Path file = dir.resolve("m" + channels + ".lstm");
    Network network = Network.initialise(new Architecture(CellType.LSTM, channels, 16, 1), 5);
    ModelFile.write(file, network, Normalisation.DEFAULT, Map.of("purpose", "test"));
    return file;
  }

  @Test
  void scoresEveryRowWithTheDocumentedColumnsAndWritesAReport() throws IOException {
    Path input = series("machine_temperature.csv", "timestamp,value", 2000, 1);
    Path out = dir.resolve("scores.csv");
    Path report = dir.resolve("report.html");
    Run r = run("score", "--model", modelFile(1).toString(), "--input", input.toString(), "--out", out.toString(),
        "--report", report.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("scored 2000 readings"), r.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals("timestamp,value,expected,lower,upper,likelihood,surprise,reason,anomaly,warming_up,suppressed",
        lines.get(0));
    assertEquals(2001, lines.size());
    assertTrue(lines.get(1).startsWith("2014-02-14T14:30:00Z,"), lines.get(1));
    assertTrue(lines.get(1).endsWith(",0.0,0.0,NONE,0,1,"), "first row is warming up: " + lines.get(1));
    boolean burstFlagged = false;
    for (int t = 1500; t < 1506; t++) burstFlagged |= lines.get(t + 1).split(",")[8].equals("1");
    assertTrue(burstFlagged, "the burst at row 1500 is flagged");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      assertEquals(11, cells.length, line);
      assertEquals("", cells[10], "no rules, no labels: nothing suppressed");
      double lower = Double.parseDouble(cells[3]);
      double upper = Double.parseDouble(cells[4]);
      double likelihood = Double.parseDouble(cells[5]);
      double surprise = Double.parseDouble(cells[6]);
      assertTrue(lower <= upper && likelihood >= 0 && likelihood <= 1, line);
      // likelihood = 1 − 10^−surprise
      assertEquals(likelihood, surprise == 0 ? 0 : 1 - Math.pow(10, -surprise), 1e-9, line);
      Explanation.Reason.valueOf(cells[7]);
    }

    String html = Files.readString(report);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("window.StreamCharts") && html.contains("uPlot"), "the live page's charts, inlined");
    assertFalse(html.contains("<script src") || html.contains("<link") || html.contains("url("), "self-contained");
    // The charts draw the scores as written to the CSV: every row's value, and the anomalies flagged there.
    Matcher embedded = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
        Pattern.DOTALL).matcher(html);
    assertTrue(embedded.find());
    JsonNode data = new ObjectMapper().readTree(embedded.group(1));
    JsonNode channel = data.get("channels").get(0);
    assertEquals(2000, data.get("time").size());
    assertEquals(2000, channel.get("value").size());
    int flagged = 0;
    int marked = 0;
    for (int t = 0; t < 2000; t++) {
      String[] cells = lines.get(t + 1).split(",");
      assertEquals(Double.parseDouble(cells[1]), channel.get("value").get(t).asDouble(), "row " + t);
      assertEquals(Double.parseDouble(cells[5]), data.get("likelihood").get(t).asDouble(), "row " + t);
      if (cells[8].equals("1")) flagged++;
      if (channel.get("anomaly").get(t).asBoolean()) marked++;
      if (cells[9].equals("1")) assertTrue(channel.get("expected").get(t).isNull(), "no band while warming up");
    }
    assertTrue(flagged > 0);
    assertEquals(flagged, marked, "every anomaly marked");
  }

  @Test
  void severalChannelsGetTheirOwnColumns() throws IOException {
    Path input = series("two.csv", "timestamp,cpu,mem", 600, 2);
    Path out = dir.resolve("two-scores.csv");
    Run r = run("score", "--model", modelFile(1).toString(), "--input", input.toString(), "--out", out.toString(),
        "-D", "warmUpReadings=10");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals("timestamp,value_cpu,expected_cpu,lower_cpu,upper_cpu,share_cpu,"
        + "value_mem,expected_mem,lower_mem,upper_mem,share_mem,likelihood,surprise,reason,anomaly,warming_up,suppressed",
        lines.get(0));
    assertEquals(17, lines.get(20).split(",", -1).length);
    assertTrue(lines.get(20).endsWith(",0,"), "warm-up of 10 is over: " + lines.get(20));
  }

  @Test
  void refusedRowsAreReportedAndKeptEmpty() throws IOException {
    Path input = dir.resolve("gaps.csv");
    Files.writeString(input, "timestamp,value\n2020-01-01T00:00:00Z,1\n2020-01-01T00:05:00Z,NaN\n"
        + "2020-01-01T00:10:00Z,2\n2020-01-01T00:01:00Z,3\n");
    Path out = dir.resolve("gaps-scores.csv");
    Run r = run("score", "--model", modelFile(1).toString(), "--input", input.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("2 rows refused, first: row 3: NOT_FINITE"), r.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals("2020-01-01T00:05:00Z,NaN,,,,,,,,,", lines.get(2));
    assertEquals("2020-01-01T00:01:00Z,3.0,,,,,,,,,", lines.get(4));
  }

  @Test
  void errorsExitNonZeroWithOneLineAndNoStackTrace() throws IOException {
    Path good = series("ok.csv", "timestamp,value", 10, 1);
    Path out = dir.resolve("never.csv");
    Path badHeader = dir.resolve("bad.csv");
    Files.writeString(badHeader, "time,value\n1,2\n");
    Path badCell = dir.resolve("cell.csv");
    Files.writeString(badCell, "timestamp,value\n2020-01-01T00:00:00Z,abc\n");
    Path notAModel = dir.resolve("garbage.lstm");
    Files.writeString(notAModel, "not a model");
    String model = modelFile(1).toString();
    for (String[] args : new String[][] {
        {"score", "--model", model, "--input", dir.resolve("missing.csv").toString(), "--out", out.toString()},
        {"score", "--model", model, "--input", badHeader.toString(), "--out", out.toString()},
        {"score", "--model", model, "--input", badCell.toString(), "--out", out.toString()},
        {"score", "--model", notAModel.toString(), "--input", good.toString(), "--out", out.toString()},
        {"score", "--model", dir.resolve("none.lstm").toString(), "--input", good.toString(), "--out", out.toString()},
        {"score", "--model", model, "--input", good.toString(), "--out", out.toString(), "-D", "nonsense=1"},
        {"score", "--model", model, "--input", good.toString(), "--out", dir.resolve("no/dir/x.csv").toString()}}) {
      Run r = run(args);
      assertNotEquals(0, r.exit(), String.join(" ", args));
      String err = r.err().strip();
      assertTrue(err.startsWith("score: "), err);
      assertFalse(err.contains("\n") || err.contains("Exception") || err.contains("\tat "), err);
    }
    assertFalse(Files.exists(out));
    assertNotEquals(0, run("score", "--input", good.toString()).exit(), "--out is required");
  }

  /**
   * The backtest of the stream's rules and labels: the {@link DippingSensor}'s dips, labelled normal on the first
   * day, stop alerting; its new faults still alert; a maintenance window mutes the rise.
   */
  @Test
  void rulesAndLabelsSuppressAlertsAsTheStreamWouldAndEpisodesShowWhatRemains() throws IOException {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    double[] values = DippingSensor.values();
    for (int t = 0; t < values.length; t++) {
      csv.append(Timestamps.format(DippingSensor.minute(t))).append(',').append(values[t]).append('\n');
    }
    Path input = dir.resolve("pump-7.csv");
    Files.writeString(input, csv);
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(labels, DippingSensor.label("pump-7", 300, 1000, "normal") + "\n\n");
    Path rules = dir.resolve("rules.txt");
    Files.writeString(rules, "pump-* maintenance " + Timestamps.format(DippingSensor.minute(2900)) + " "
        + Timestamps.format(DippingSensor.minute(3000)) + "\n");
    Path out = dir.resolve("pump-7-scores.csv");
    Path episodes = dir.resolve("episodes.jsonl");

    Run r = run("score", "--input", input.toString(), "--out", out.toString(), "--rules", rules.toString(),
        "--feedback", labels.toString(), "--episodes", episodes.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("4 anomalies"), r.out());
    assertTrue(r.out().contains("2 of them suppressed by rules or labels, 2 episodes opened"), r.out());
    List<String> lines = Files.readAllLines(out);
    assertTrue(lines.get(1332 + 1).endsWith(",1,0,\"feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.046\""),
        lines.get(1332 + 1));
    assertTrue(lines.get(2990 + 1).endsWith(",1,0,rule line 1: pump-* maintenance " + Timestamps.format(DippingSensor.minute(2900))
        + " " + Timestamps.format(DippingSensor.minute(3000))), lines.get(2990 + 1));
    List<String> opened = new ArrayList<>();
    for (String line : Files.readAllLines(episodes)) {
      JsonNode event = new ObjectMapper().readTree(line);
      if (event.get("event").asText().equals("opened")) opened.add(event.get("start").asText());
    }
    assertEquals(List.of(333, 2752).stream().map(t -> Timestamps.format(DippingSensor.minute(t))).toList(), opened);

    Files.writeString(labels, DippingSensor.label("pump-8", 300, 1000, "normal") + "\n");
    Run wrongSensor = run("score", "--input", input.toString(), "--out", out.toString(), "--feedback", labels.toString());
    assertEquals(1, wrongSensor.exit());
    assertEquals("score: " + labels + " line 1: a label of sensor 'pump-8', not of 'pump-7' (--sensor-id)",
        wrongSensor.err().strip());
  }

  @Test
  void theBuiltInModelIsUsedWhenNoneIsGiven() throws IOException {
    Path input = series("default.csv", "timestamp,value", 300, 1);
    Path out = dir.resolve("default-scores.csv");
    Run r = run("score", "--input", input.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(301, Files.readAllLines(out).size());
  }
}
