package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Normalisation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

  @TempDir Path dir;

  @Test
  void trainsOnGeneratedSeriesAndRecordsTheCommand() throws Exception {
    Path out = dir.resolve("m.lstm");
    Run run = run("--generated", "2", "--length", "300", "--epochs", "2", "--hidden", "6", "--layers", "2", "--out", out.toString());
    assertEquals(0, run.code, run.err);
    assertTrue(run.out.contains("epoch   1"), run.out);
    Model model = ModelFile.read(out);
    assertEquals(new Architecture(CellType.LSTM, 1, 6, 2), model.network().architecture());
    assertEquals(Normalisation.DEFAULT, model.normalisation());
    assertTrue(run.out.contains(model.version()), run.out);
    String command = model.metadata().get("command");
    assertTrue(command.startsWith("streamlstm train --generated 2 --length 300 --seed 42 --epochs 2 --hidden 6 --layers 2"), command);
    assertEquals("streamlstm train", model.metadata().get("created-by"));
    // off by default, and then not spelled out, so models from before the option rebuild unchanged
    assertFalse(command.contains("weight-average"), command);
    assertFalse(model.metadata().containsKey("train.weight-average"));
    assertRebuildsByteForByte(out, command);
  }

  @Test
  void recordsWeightAveragingWhenOn() throws Exception {
    Path out = dir.resolve("m.lstm");
    Run run = run("--generated", "2", "--length", "300", "--epochs", "2", "--hidden", "6", "--weight-average", "0.99", "--out", out.toString());
    assertEquals(0, run.code, run.err);
    Model model = ModelFile.read(out);
    String command = model.metadata().get("command");
    assertTrue(command.endsWith(" --nll-beta 0.5 --weight-average 0.99"), command);
    assertEquals("0.99", model.metadata().get("train.weight-average"));
    assertRebuildsByteForByte(out, command);
  }

  /** The recorded command makes the same bytes again. */
  private void assertRebuildsByteForByte(Path out, String command) throws Exception {
    Path again = dir.resolve("again.lstm");
    assertEquals(0, run(argumentsOf(command, again)).code);
    assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
  }

  @Test
  void trainsOnCsvFilesOfADirectory() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    for (String name : List.of("a", "b")) {
      StringBuilder csv = new StringBuilder("timestamp,temperature,pressure\n");
      for (int t = 0; t < 200; t++) {
        csv.append(1_700_000_000_000L + 60_000L * t).append(',').append(20 + Math.sin(t / 5.0)).append(',')
            .append(1000 + (t % 7)).append('\n');
      }
      Files.writeString(data.resolve(name + ".csv"), csv);
    }
    Path out = dir.resolve("m.lstm");
    Run run = run("--input", data.toString(), "--epochs", "1", "--hidden", "4", "--cell", "RNN", "--out", out.toString());
    assertEquals(0, run.code, run.err);
    Model model = ModelFile.read(out);
    assertEquals(new Architecture(CellType.RNN, 2, 4, 1), model.network().architecture());
    assertEquals("files: a, b", model.metadata().get("data"));
  }

  @Test
  void missingInputFailsWithOneLine() {
    Run run = run("--input", dir.resolve("nope.csv").toString(), "--out", dir.resolve("m.lstm").toString());
    assertFailedWithOneLine(run, "no such file");
    assertFalse(Files.exists(dir.resolve("m.lstm")));
  }

  @Test
  void badCellInCsvFailsWithOneLine() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "timestamp,value\n1700000000000,1.5\n1700000060000,warm\n");
    assertFailedWithOneLine(run("--input", csv.toString(), "--out", dir.resolve("m.lstm").toString()), "bad.csv:3");
  }

  @Test
  void mismatchedColumnsAndNonFiniteValuesFailWithOneLine() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.writeString(data.resolve("a.csv"), "timestamp,value\n1700000000000,1.5\n1700000060000,1.7\n");
    Files.writeString(data.resolve("b.csv"), "timestamp,other\n1700000000000,1.5\n1700000060000,1.7\n");
    assertFailedWithOneLine(run("--input", data.toString(), "--out", dir.resolve("m.lstm").toString()), "b has columns [other], a has [value]");
    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "timestamp,value\n1700000000000,1.5\n1700000060000,NaN\n1700000120000,1\n");
    assertFailedWithOneLine(run("--input", nan.toString(), "--out", dir.resolve("m.lstm").toString()), "nan: value is NaN at reading 2");
  }

  @Test
  void unknownCellTypeFailsWithOneLine() {
    Run run = run("--generated", "1", "--cell", "gru", "--out", dir.resolve("m.lstm").toString());
    assertFailedWithOneLine(run, "--cell must be lstm or rnn");
  }

  @Test
  void outOfRangeOptionsFailWithOneLine() {
    assertFailedWithOneLine(run("--generated", "1", "--layers", "4", "--out", dir.resolve("m.lstm").toString()), "layers must be 1..3");
    assertFailedWithOneLine(run("--generated", "0", "--out", dir.resolve("m.lstm").toString()), "--generated must be >= 1");
  }

  @Test
  void needsExactlyOneSourceOfData() {
    assertNotEquals(0, run("--out", dir.resolve("m.lstm").toString()).code);
    Run both = run("--generated", "1", "--input", "x.csv", "--out", dir.resolve("m.lstm").toString());
    assertNotEquals(0, both.code);
    assertTrue(both.err.contains("mutually exclusive"), both.err);
  }

  @Test
  void needsAFileToWriteOrANameToPublishUnder() {
    assertFailedWithOneLine(run("--generated", "1"), "give --out FILE, --publish NAME or both");
  }

  @Test
  void selectingReadingsByTimeOrSensorNeedsATopic() {
    assertFailedWithOneLine(run("--generated", "1", "--sensors", "pump-*", "--out", dir.resolve("m.lstm").toString()),
        "--from, --to and --sensors select readings of a --topic");
    assertFailedWithOneLine(run("--generated", "1", "--from", "2026-01-01T00:00:00Z", "--out",
        dir.resolve("m.lstm").toString()), "--from, --to and --sensors select readings of a --topic");
  }

  private void assertFailedWithOneLine(Run run, String expected) {
    assertNotEquals(0, run.code);
    String message = run.err.strip();
    assertTrue(message.startsWith("train: ") && message.contains(expected), message);
    assertFalse(message.contains("\n"), "one line, no stack trace: " + message);
  }

  /** The recorded command's options, with {@code --out file} added. */
  static String[] argumentsOf(String command, Path out) {
    assertTrue(command.startsWith(TrainCommand.CREATED_BY + " "), command);
    List<String> args = new ArrayList<>(List.of(command.substring(TrainCommand.CREATED_BY.length() + 1).split(" ")));
    args.add("--out");
    args.add(out.toString());
    return args.toArray(new String[0]);
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 1];
    full[0] = "train";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cli.execute(full);
    return new Run(code, out.toString(), err.toString());
  }
}
