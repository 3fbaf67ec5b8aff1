package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code nab} command end to end on a two-file corpus in NAB's layout, with the default model. */
class NabCommandTest {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final LocalDateTime START = LocalDateTime.of(2014, 4, 1, 0, 0);
  private static final int ROWS = 1500;
  private static final int SPIKE = 1200;

  @Test
  void writesNabResultsAndScoresThem(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("nab");
    // A daily sine sampled every 5 minutes with a spike at row 1200 (window rows 1150..1250), and a plain sine.
    writeSeries(data.resolve("data/demo/spiky.csv"), true);
    writeSeries(data.resolve("data/demo/calm.csv"), false);
    Files.createDirectories(data.resolve("labels"));
    Files.writeString(data.resolve("labels/combined_windows.json"), String.format(
        "{\"demo/spiky.csv\": [[\"%s.000000\", \"%s.000000\"]], \"demo/calm.csv\": []}",
        TIME.format(at(SPIKE - 50)), TIME.format(at(SPIKE + 50))));
    Path out = dir.resolve("results");

    int exit = Main.commandLine().execute("nab", "--data", data.toString(), "--out", out.toString());

    assertEquals(0, exit);
    List<String> spiky = Files.readAllLines(out.resolve("streamlstm/demo/streamlstm_spiky.csv"));
    assertEquals("timestamp,value,anomaly_score,label", spiky.get(0));
    assertEquals(ROWS + 1, spiky.size());
    assertEquals(TIME.format(at(0)), spiky.get(1).split(",")[0]);
    assertEquals("0.0", spiky.get(1).split(",")[2], "warming up scores 0");
    assertEquals("0", spiky.get(1 + SPIKE - 51).split(",")[3]);
    assertEquals("1", spiky.get(1 + SPIKE - 50).split(",")[3]);
    assertEquals("1", spiky.get(1 + SPIKE + 50).split(",")[3]);
    assertEquals("0", spiky.get(1 + SPIKE + 51).split(",")[3]);
    for (String row : spiky.subList(1, spiky.size())) {
      double score = Double.parseDouble(row.split(",")[2]);
      assertTrue(score >= 0 && score <= 1, row);
    }
    // The spike is the most anomalous reading of the corpus, so the best threshold catches it in time.
    String scores = Files.readString(out.resolve("scores.md"));
    assertTrue(scores.contains("| standard |"), scores);
    assertTrue(scores.contains("demo/spiky.csv | 0.8"), scores);
    // One kind of series, and only the even position (spiky, after calm) holds a window.
    assertTrue(scores.contains("Fixed splits, standard profile: even "), scores);
    assertTrue(Files.exists(out.resolve("streamlstm/demo/streamlstm_calm.csv")));
  }

  @Test
  void detectorSettingsAreUsedAndNamed(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("nab");
    writeSeries(data.resolve("data/demo/spiky.csv"), true);
    Files.createDirectories(data.resolve("labels"));
    Files.writeString(data.resolve("labels/combined_windows.json"), String.format(
        "{\"demo/spiky.csv\": [[\"%s.000000\", \"%s.000000\"]]}", TIME.format(at(SPIKE - 50)), TIME.format(at(SPIKE + 50))));

    Path withSudden = dir.resolve("defaults");
    Path withoutSudden = dir.resolve("ablation");
    assertEquals(0, Main.commandLine().execute("nab", "--data", data.toString(), "--out", withSudden.toString()));
    assertEquals(0, Main.commandLine().execute("nab", "--data", data.toString(), "--out", withoutSudden.toString(),
        "-D", "evidencesOff=SUDDEN_ERROR,MEMORY", "--detector", "anomalyThreshold=0.999"));

    String defaults = Files.readString(withSudden.resolve("scores.md"));
    String ablation = Files.readString(withoutSudden.resolve("scores.md"));
    assertTrue(defaults.startsWith("# NAB scores of streamlstm (model ") && defaults.contains("predictor network)"), defaults);
    assertTrue(ablation.contains("evidencesOff=[SUDDEN_ERROR, MEMORY]") && ablation.contains("alarm level 0.999:"), ablation);
    // The settings reached the detector: the same readings score otherwise.
    assertNotEquals(Files.readAllLines(withSudden.resolve("streamlstm/demo/streamlstm_spiky.csv")),
        Files.readAllLines(withoutSudden.resolve("streamlstm/demo/streamlstm_spiky.csv")));
  }

  private static LocalDateTime at(int row) {
    return START.plusMinutes(5L * row);
  }

  private static void writeSeries(Path file, boolean spike) throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int t = 0; t < ROWS; t++) {
      double value = 50 + 10 * Math.sin(2 * Math.PI * t / 288) + (spike && t == SPIKE ? 40 : 0);
      csv.append(TIME.format(at(t))).append(',').append(value).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv);
  }
}
