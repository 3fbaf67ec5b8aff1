package io.streamlstm.app;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.PersistencePredictor;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.nab.FixedSplits;
import io.streamlstm.detect.nab.NabFile;
import io.streamlstm.detect.nab.NabProfile;
import io.streamlstm.detect.nab.NabReport;
import io.streamlstm.detect.nab.NabScorer;
import io.streamlstm.detect.nab.NabWindows;
import io.streamlstm.detect.nab.TopScoreLocation;
import io.streamlstm.detect.nab.WindowEvents;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamlstm nab}: runs the detector over every series of a Numenta Anomaly Benchmark directory
 * exactly as the stream would (one pass, no look-ahead, each file a new sensor), writes NAB's results
 * files, and scores them with NAB's rules.
 */
@Command(
    name = "nab",
    mixinStandardHelpOptions = true,
    description = "Runs the detector over the NAB corpus as a stream would and scores it with NAB's rules.")
public final class NabCommand implements Callable<Integer> {

  /** NAB's name for our detector in results paths; NAB forbids '_' in it. */
  static final String DETECTOR = "streamlstm";
  private static final long DAY_MILLIS = 86_400_000L;

  private static final DateTimeFormatter NAB_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Option(names = "--data", required = true, description = "NAB directory holding data/ and labels/.")
  Path data;

  @Option(names = "--out", required = true, description = "Results directory (NAB layout) and scores.md.")
  Path out;

  @Option(names = "--model", description = "Model file to use instead of the default model.")
  Path modelFile;

  @Option(names = "--predictor", defaultValue = "network",
      description = "network (the model's) or persistence (next = last reading: the ablation baseline); default ${DEFAULT-VALUE}.")
  String predictor;

  @Option(names = {"-D", "--detector"}, paramLabel = "FIELD=VALUE",
      description = "Detector setting, as score takes it, e.g. -D evidencesOff=ROUTINE to measure the detector without"
          + " an evidence (see DetectorConfig).")
  Map<String, String> settings = new HashMap<>();

  @Option(names = "--threads", defaultValue = "2", description = "Files scored in parallel (default ${DEFAULT-VALUE}).")
  int threads;

  /** One file's run: its NAB name ("category/name.csv"), its readings, the anomaly score and surprise per row. */
  private record Run(String name, SeriesCsv.Series series, double[] scores, double[] surprises) {}

  @Override
  public Integer call() throws Exception {
    NabWindows windows = NabWindows.read(data.resolve("labels").resolve("combined_windows.json"));
    List<Path> files = dataFiles(data.resolve("data"));
    Model model = modelFile == null ? Models.loadDefault() : ModelFile.read(modelFile);
    DetectorConfig config = DetectorConfig.fromFields(settings);

    long start = System.nanoTime();
    List<Run> runs = runAll(files, model, config);
    double seconds = (System.nanoTime() - start) / 1e9;

    List<NabFile> corpus = new ArrayList<>();
    List<NabFile> bySurprise = new ArrayList<>();
    int[] testRecordings =
        runs.stream().mapToInt(run -> WindowEvents.firstRowAfterGap(run.series().timestamps(), DAY_MILLIS)).toArray();
    long rows = 0;
    for (Run run : runs) {
      int[][] rowWindows = NabWindows.rows(run.series().timestamps(), windows.of(run.name()));
      corpus.add(new NabFile(run.name(), run.scores(), rowWindows));
      bySurprise.add(new NabFile(run.name(), run.surprises(), rowWindows));
      writeResults(run, rowWindows);
      rows += run.series().length();
    }
    NabScorer scorer = new NabScorer(corpus);
    List<NabScorer.ProfileScore> scores = NabProfile.ALL.stream().map(scorer::score).toList();

    StringJoiner splits = new StringJoiner(", ");
    for (Map.Entry<String, List<NabFile>> split : FixedSplits.of(corpus).entrySet()) {
      double standard = new NabScorer(split.getValue()).score(NabProfile.STANDARD).normalised();
      splits.add(String.format(Locale.ROOT, "%s %.1f", split.getKey(), standard));
    }

    WindowEvents events = WindowEvents.count(corpus, config.anomalyThreshold());
    // Printed for a corpus in the telemetry's layout only: every file a nominal recording, a day's gap, a test one.
    String testLine = "";
    if (Arrays.stream(testRecordings).allMatch(row -> row > 0)) {
      WindowEvents test = WindowEvents.count(corpus, testRecordings, config.anomalyThreshold());
      testLine = String.format(Locale.ROOT, "The same on the test recordings (each file's rows after its first gap of a"
              + " day), as the telemetry's paper counts: %d of %d windows found (recall %.3f), %d of %d events false"
              + " (precision %.3f), F0.5 %.3f.%n", test.found(), test.windows(), test.recall(), test.falseEvents(),
          test.events(), test.precision(), test.fScore(0.5));
    }
    TopScoreLocation located = TopScoreLocation.count(bySurprise);
    String report = String.format(Locale.ROOT,
        "# NAB scores of %s (model %s, predictor %s%s)%n%n%d files, %d rows in %.1f s: %.0f rows/s on %d thread(s).%n%n"
            + "Per window at the alarm level %s: %d of %d windows found (recall %.3f), %d of %d events false"
            + " (precision %.3f), F0.5 %.3f.%n%s"
            + "Highest surprise within %d rows of the window, in files with one window: %d of %d (%.3f).%n"
            + "Fixed splits, standard profile: %s.%n%n%s",
        DETECTOR, model.version(), predictor, config.equals(DetectorConfig.defaults()) ? "" : ", " + config,
        runs.size(), rows, seconds, rows / seconds, threads,
        config.anomalyThreshold(), events.found(), events.windows(), events.recall(), events.falseEvents(),
        events.events(), events.precision(), events.fScore(0.5), testLine,
        TopScoreLocation.TOLERANCE, located.located(), located.files(), located.share(), splits,
        NabReport.markdown(scores));
    Files.createDirectories(out);
    Files.writeString(out.resolve("scores.md"), report);
    System.out.print(report);
    return 0;
  }

  /** Every {@code <category>/<name>.csv} under {@code data/}, in name order. */
  private static List<Path> dataFiles(Path dataDir) throws IOException {
    try (Stream<Path> walk = Files.walk(dataDir, 2)) {
      List<Path> files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
      if (files.isEmpty()) throw new IllegalArgumentException(dataDir + ": no <category>/<name>.csv files");
      return files;
    }
  }

  /** Runs the files on {@code threads} threads, longest first so the threads finish together; results in file order. */
  private List<Run> runAll(List<Path> files, Model model, DetectorConfig config) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Path> bySize = new ArrayList<>(files);
      bySize.sort(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed());
      Map<Path, Future<Run>> futures = new HashMap<>();
      for (Path file : bySize) futures.put(file, pool.submit(() -> run(file, model, config)));
      List<Run> runs = new ArrayList<>();
      for (Path file : files) runs.add(futures.get(file).get());
      return runs;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One file as one new sensor: each reading once, in order. The anomaly score is the likelihood, 0
   * while the sensor warms up (and for a refused reading, which the stream would not score either).
   */
  private Run run(Path file, Model model, DetectorConfig config) {
    SeriesCsv.Series series = SeriesCsv.read(file);
    Detector detector = switch (predictor) {
      case "network" -> new Detector(model, config);
      case "persistence" -> new Detector(model, new PersistencePredictor(), config);
      default -> throw new IllegalArgumentException("--predictor must be network or persistence, got " + predictor);
    };
    SensorState state = detector.newState();
    double[] scores = new double[series.length()];
    double[] surprises = new double[series.length()];
    for (int t = 0; t < scores.length; t++) {
      Outcome outcome = detector.process(state, new Reading(series.timestamps()[t], series.channels(), series.values()[t]));
      if (outcome.accepted() && !outcome.score().warmingUp()) {
        scores[t] = outcome.score().likelihood();
        surprises[t] = outcome.score().surprise();
      }
    }
    String name = data.resolve("data").relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    return new Run(name, series, scores, surprises);
  }

  /** NAB's results layout: {@code <out>/<detector>/<category>/<detector>_<name>.csv}. */
  private void writeResults(Run run, int[][] windows) {
    String[] parts = run.name().split("/");
    Path file = out.resolve(DETECTOR).resolve(parts[0]).resolve(DETECTOR + "_" + parts[1]);
    boolean[] inWindow = new boolean[run.scores().length];
    for (int[] w : windows) Arrays.fill(inWindow, w[0], w[1] + 1, true);
    StringBuilder csv = new StringBuilder("timestamp,value,anomaly_score,label\n");
    for (int t = 0; t < run.scores().length; t++) {
      csv.append(NAB_TIME.format(Instant.ofEpochMilli(run.series().timestamps()[t]))).append(',')
          .append(run.series().values()[t][0]).append(',')
          .append(run.scores()[t]).append(',')
          .append(inWindow[t] ? 1 : 0).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, csv);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
