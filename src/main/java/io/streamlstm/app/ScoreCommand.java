package io.streamlstm.app;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Outcome;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.nab.NabWindows;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.AlertFilter;
import io.streamlstm.streams.BadReadingException;
import io.streamlstm.streams.EpisodeEvent;
import io.streamlstm.streams.EpisodeSettings;
import io.streamlstm.streams.EpisodeTracker;
import io.streamlstm.streams.FeedbackJson;
import io.streamlstm.streams.FeedbackSettings;
import io.streamlstm.streams.Timestamps;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlstm score}: one CSV series through the same {@link Detector} the stream uses, one sensor,
 * row by row, to a CSV of scores and optionally an HTML report. With a rules file and a file of labels, the
 * flagged readings they suppress are marked as the stream marks them, and {@code --episodes} writes the alerts
 * that remain as the stream's episode events: a backtest of what rules and labels would have done.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Scores a CSV series offline with the same detector as the stream.")
public final class ScoreCommand implements Callable<Integer> {

  @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: the built-in model).")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "FILE.csv",
      description = "CSV with a timestamp column and one column per channel.")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the scores.")
  Path out;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Also write a self-contained HTML report.")
  Path report;

  @Option(names = "--labels", paramLabel = "FILE.json",
      description = "Labelled windows to shade in the report, NAB's combined_windows.json layout; the entry named "
          + "as the input file (or ending in /<its name>) is used.")
  Path labels;

  @Option(names = "--sensor-id", paramLabel = "ID",
      description = "The sensor's id, which rules and labels name (default: the input file's name without .csv).")
  String sensorId;

  @Option(names = "--rules", paramLabel = "FILE", description = "Rules file, as the service reads it.")
  Path rules;

  @Option(names = "--feedback", paramLabel = "FILE.jsonl",
      description = "Labels, one JSON object a line as on the feedback topic; without \"at\", one counts as given at the end of its span.")
  Path feedback;

  @Option(names = "--episodes", paramLabel = "FILE",
      description = "Also the episode events (opened, updated, closed), one JSON object a line, as the service writes them.")
  Path episodes;

  @Option(names = {"-D", "--detector"}, paramLabel = "FIELD=VALUE",
      description = "Detector setting, e.g. -D warmUpReadings=200 (see DetectorConfig).")
  Map<String, String> settings = new HashMap<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      DetectorConfig config = DetectorConfig.fromFields(settings);
      Model m = model == null ? Models.loadDefault() : ModelFile.read(model);
      SeriesCsv.Series series = SeriesCsv.read(input);
      Scored scored = score(new Detector(m, config), series);
      String sensor = sensorId != null ? sensorId : input.getFileName().toString().replaceFirst("\\.csv$", "");
      Alerts alerts = alerts(sensor, scored.scores());
      write(out, w -> writeCsv(w, series, scored.scores(), alerts.marks()));
      if (episodes != null) write(episodes, w -> w.write(alerts.events()));
      if (report != null) {
        List<NabWindows.TimeWindow> windows =
            labels == null ? List.of() : NabWindows.read(labels).named(input.getFileName().toString());
        String html = ScoreReport.html(series, scored.scores(), m.version(), config.anomalyThreshold(), windows);
        write(report, w -> w.write(html));
      }
      int anomalies = 0;
      for (Score s : scored.scores()) if (s != null && s.anomaly()) anomalies++;
      PrintWriter o = spec.commandLine().getOut();
      o.printf("scored %d readings of %s with model %s: %d anomalies -> %s%n",
          series.length(), input, m.version(), anomalies, out);
      if (rules != null || feedback != null) {
        o.printf("%d of them suppressed by rules or labels, %d episodes opened%n", alerts.suppressed(), alerts.opened());
      }
      if (scored.refused() > 0) o.printf("%d rows refused, first: %s%n", scored.refused(), scored.firstRefusal());
      o.flush();
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      String why = e instanceof UncheckedIOException u ? u.getMessage() + ": " + u.getCause().getMessage()
          : e.getMessage();
      spec.commandLine().getErr().println("score: " + why);
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  /** A series' scores, {@code scores[t]} null where row t was refused; the first refusal as "row N: REASON detail". */
  record Scored(Score[] scores, int refused, String firstRefusal) {}

  /** Scores every row in order as one sensor. */
  static Scored score(Detector detector, SeriesCsv.Series series) {
    Score[] scores = new Score[series.length()];
    SensorState state = detector.newState();
    String first = null;
    int refused = 0;
    for (int t = 0; t < series.length(); t++) {
      Outcome outcome = detector.process(state, new Reading(series.timestamps()[t], series.channels(), series.values()[t]));
      scores[t] = outcome.score();
      if (!outcome.accepted()) {
        if (refused++ == 0) {
          first = "row " + (t + 2) + ": " + outcome.rejection().reason() + " " + outcome.rejection().detail();
        }
      }
    }
    return new Scored(scores, refused, first);
  }

  /** Each row's mark (null: alerts as flagged, or not flagged), the episode events a line each, and their counts. */
  record Alerts(String[] marks, String events, int suppressed, int opened) {}

  /** The scores through the rules and labels given and into episodes, in row order, as the stream would. */
  private Alerts alerts(String sensor, Score[] scores) {
    RuleSet ruleSet = rules == null ? RuleSet.NONE : RulesFile.read(rules);
    AlertFilter filter = AlertFilter.inMemory(() -> ruleSet, FeedbackSettings.DEFAULT, new HashMap<>());
    if (feedback != null) readLabels(sensor, filter);
    Map<String, byte[]> open = new HashMap<>();
    EpisodeTracker tracker = new EpisodeTracker(EpisodeSettings.DEFAULT, open::get, open::put);
    String[] marks = new String[scores.length];
    StringBuilder events = new StringBuilder();
    int suppressed = 0;
    int opened = 0;
    for (int t = 0; t < scores.length; t++) {
      if (scores[t] == null) continue;
      marks[t] = filter.judge(sensor, scores[t]);
      if (marks[t] != null) suppressed++;
      EpisodeEvent event = tracker.track(sensor, scores[t], scores[t].anomaly() && marks[t] == null);
      if (event == null) continue;
      events.append(new String(event.toJson(), StandardCharsets.UTF_8)).append('\n');
      if (event.kind() == EpisodeEvent.Kind.OPENED) opened++;
    }
    return new Alerts(marks, events.toString(), suppressed, opened);
  }

  private void readLabels(String sensor, AlertFilter filter) {
    List<String> lines;
    try {
      lines = Files.readAllLines(feedback);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + feedback);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + feedback + ": " + e.getMessage());
    }
    for (int n = 0; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) continue;
      try {
        FeedbackJson.SensorFeedback label = FeedbackJson.parse(null, lines.get(n).getBytes(StandardCharsets.UTF_8),
            null, FeedbackSettings.DEFAULT.delay());
        if (!label.sensorId().equals(sensor)) {
          throw new BadReadingException("a label of sensor '" + label.sensorId() + "', not of '" + sensor + "' (--sensor-id)");
        }
        filter.received(sensor, label.feedback());
      } catch (BadReadingException e) {
        throw new IllegalArgumentException(feedback + " line " + (n + 1) + ": " + e.getMessage());
      }
    }
  }

  private interface Content {
    void writeTo(BufferedWriter w) throws IOException;
  }

  /** Writes a file, turning I/O failures into one-line reasons. */
  private static void write(Path file, Content content) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      content.writeTo(w);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot write " + file + ": its directory does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("cannot write " + file + ": permission denied");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * {@code timestamp,value,expected,lower,upper,likelihood,surprise,reason,anomaly,warming_up,suppressed} for one
   * channel; with several, {@code value_<ch>,expected_<ch>,lower_<ch>,upper_<ch>,share_<ch>} per channel in place of
   * the four. reason is the evidence that decided the score (README, "Input and output"); anomaly and warming_up
   * are 1 or 0; suppressed is the mark of a rule or label that kept a flagged row from alerting, else empty. A
   * refused row keeps its timestamp and values, the other cells empty.
   */
  static void writeCsv(BufferedWriter w, SeriesCsv.Series series, Score[] scores, String[] marks) throws IOException {
    String[] channels = series.channels();
    boolean single = channels.length == 1;
    StringBuilder line = new StringBuilder("timestamp");
    for (String ch : channels) {
      if (single) line.append(",value,expected,lower,upper");
      else {
        for (String column : new String[] {"value_", "expected_", "lower_", "upper_", "share_"}) {
          line.append(',').append(column).append(ch);
        }
      }
    }
    w.write(line.append(",likelihood,surprise,reason,anomaly,warming_up,suppressed\n").toString());
    for (int t = 0; t < series.length(); t++) {
      Score s = scores[t];
      line.setLength(0);
      line.append(Timestamps.format(series.timestamps()[t]));
      for (int c = 0; c < channels.length; c++) {
        line.append(',').append(series.values()[t][c]);
        if (s == null) line.append(single ? ",,," : ",,,,");
        else {
          line.append(',').append(s.expected()[c]).append(',').append(s.lower()[c]).append(',').append(s.upper()[c]);
          if (!single) line.append(',').append(s.channelShares()[c]);
        }
      }
      if (s == null) line.append(",,,,,,");
      else {
        line.append(',').append(s.likelihood()).append(',').append(s.surprise()).append(',')
            .append(s.explanation().reason()).append(',').append(s.anomaly() ? 1 : 0)
            .append(',').append(s.warmingUp() ? 1 : 0)
            .append(',').append(marks[t] == null ? "" : ReplayCommand.cell(marks[t]));
      }
      w.write(line.append('\n').toString());
    }
  }
}
