package io.streamlstm.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.nab.NabWindows;
import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The {@code score --report} page: one self-contained HTML file drawn by the live page's own charts. The
 * chart library, the chart script and the style are inlined and the scores embedded as JSON, so it opens
 * offline, from a file. Per channel: the series, the expected band and the anomalies; below them the
 * surprise −log10(1 − likelihood) against the alarm level; then a table of the anomalies, each with its
 * surprise, the evidence that raised it, how far off it was and the reference band it was judged against.
 */
final class ScoreReport {

  private static final int MAX_LISTED = 200;
  private static final String WEB = "io/streamlstm/app/web/";
  /** Inside the uPlot webjar; the version is the pom's. */
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScoreReport() {}

  /**
   * The page for {@code series} and its scores ({@code null} where a row was refused), with labelled
   * {@code windows} (may be empty) shaded behind the series.
   */
  static String html(SeriesCsv.Series series, Score[] scores, String modelVersion, double threshold,
      List<NabWindows.TimeWindow> windows) {
    int anomalies = 0;
    int warming = 0;
    int refused = 0;
    for (Score s : scores) {
      if (s == null) refused++;
      else if (s.warmingUp()) warming++;
      else if (s.anomaly()) anomalies++;
    }
    StringBuilder page = new StringBuilder(256 * 1024);
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape(series.name())).append(" · StreamLSTM scores</title>\n<style>\n")
        .append(resource(UPLOT + "uPlot.min.css")).append('\n').append(resource(WEB + "style.css"))
        .append("\nh2{font-size:16px;margin:20px 0 6px}\n</style></head><body><main>\n");
    page.append("<div class=\"sensor-head\"><h1>").append(escape(series.name())).append("</h1>")
        .append("<div class=\"facts\">").append(series.length()).append(" readings from ").append(time(series, 0))
        .append(" to ").append(time(series, series.length() - 1)).append(" · model <code>")
        .append(escape(modelVersion)).append("</code> · <b class=\"flagged\">").append(anomalies)
        .append(" anomalies</b> (likelihood ≥ ").append(threshold).append(") · ").append(warming)
        .append(" warming up");
    if (refused > 0) page.append(" · ").append(refused).append(" refused");
    page.append("</div></div>\n<div class=\"toolbar\"><span class=\"note\">Drag across a chart to zoom, "
            + "double-click to see all readings again.</span><span class=\"legend\"><i class=\"sw value\"></i>reading "
            + "<i class=\"sw band\"></i>expected band <i class=\"sw expected\"></i>expected "
            + "<i class=\"sw anomaly\"></i>anomaly</span></div>\n");
    for (int c = 0; c < series.channels().length; c++) {
      if (series.channels().length > 1) page.append("<h2>").append(escape(series.channels()[c])).append("</h2>\n");
      page.append("<div class=\"chart\" id=\"chart-").append(c).append("\"></div>\n");
    }
    page.append("<div class=\"chart-label\">Surprise −log10(1 − likelihood); the dashed line is the alarm level</div>\n")
        .append("<div class=\"chart\" id=\"chart-surprise\"></div>\n");
    anomalyTable(page, series, scores);
    // "</" inside a script element would end it: JSON may write it as "<\/" instead.
    page.append("</main>\n<script type=\"application/json\" id=\"report-data\">")
        .append(data(series, scores, threshold, windows).replace("</", "<\\/")).append("</script>\n<script>\n")
        .append(resource(UPLOT + "uPlot.iife.min.js")).append("\n</script>\n<script>\n")
        .append(resource(WEB + "charts.js")).append("\n</script>\n<script>\n")
        .append(resource(WEB + "report.js")).append("\n</script>\n</body></html>\n");
    return page.toString();
  }

  /**
   * What the charts draw: times, and per channel the readings, the band and expected value (none while
   * warming up: the first bands of a fresh state can be huge) and the anomalies; the likelihood of each row, and
   * the reason of each anomaly; the labelled windows.
   */
  private static String data(SeriesCsv.Series series, Score[] scores, double threshold,
      List<NabWindows.TimeWindow> windows) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("threshold", threshold);
      g.writeArrayFieldStart("time");
      for (long t : series.timestamps()) g.writeNumber(t);
      g.writeEndArray();
      g.writeArrayFieldStart("channels");
      for (int c = 0; c < series.channels().length; c++) {
        g.writeStartObject();
        g.writeStringField("name", series.channels()[c]);
        g.writeArrayFieldStart("value");
        for (double[] row : series.values()) number(g, row[c]);
        g.writeEndArray();
        final int channel = c;
        column(g, "expected", scores, s -> s.expected()[channel]);
        column(g, "lower", scores, s -> s.lower()[channel]);
        column(g, "upper", scores, s -> s.upper()[channel]);
        g.writeArrayFieldStart("anomaly");
        // An anomaly is marked on the channel that contributed most to it, not on every channel.
        for (Score s : scores) g.writeBoolean(s != null && s.anomaly() && isLeading(s.channelShares(), channel));
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("likelihood");
      for (Score s : scores) number(g, s == null ? Double.NaN : s.likelihood());
      g.writeEndArray();
      g.writeArrayFieldStart("reason");
      for (Score s : scores) {
        if (s != null && s.anomaly()) g.writeString(s.explanation().reason().name());
        else g.writeNull();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("windows");
      for (NabWindows.TimeWindow w : windows) {
        g.writeStartArray();
        g.writeNumber(w.start());
        g.writeNumber(w.end());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report's data", e);
    }
    return out.toString();
  }

  private static void column(JsonGenerator g, String name, Score[] scores,
      ToDoubleFunction<Score> field) throws IOException {
    g.writeArrayFieldStart(name);
    for (Score s : scores) number(g, s == null || s.warmingUp() ? Double.NaN : field.applyAsDouble(s));
    g.writeEndArray();
  }

  /** JSON has no NaN: a missing number is null, and the chart leaves a gap. */
  private static void number(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }

  private static boolean isLeading(double[] shares, int c) {
    for (double share : shares) {
      if (share > shares[c]) return false;
    }
    return true;
  }

  private static void anomalyTable(StringBuilder page, SeriesCsv.Series series, Score[] scores) {
    StringBuilder rows = new StringBuilder();
    int listed = 0;
    int total = 0;
    for (int t = 0; t < scores.length; t++) {
      Score s = scores[t];
      if (s == null || !s.anomaly()) continue;
      total++;
      if (listed++ >= MAX_LISTED) continue;
      rows.append("<tr><td>").append(time(series, t)).append("</td>");
      for (int c = 0; c < s.values().length; c++) {
        rows.append("<td class=\"num\">").append(text(s.values()[c])).append("</td><td class=\"num\">")
            .append(text(s.expected()[c])).append("</td>");
      }
      Explanation why = s.explanation();
      rows.append("<td class=\"num\">").append(text(s.surprise())).append("</td><td>").append(why.reason())
          .append(series.channels().length > 1 ? " (" + escape(why.channel()) + ")" : "")
          .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%+.1f", why.deviation()))
          .append("</td><td class=\"num\">").append(text(why.lower())).append(" – ").append(text(why.upper()))
          .append("</td></tr>\n");
    }
    if (total == 0) {
      page.append("<h2>No anomalies</h2>\n");
      return;
    }
    page.append("<h2>Anomalies").append(total > MAX_LISTED ? " (first " + MAX_LISTED + " of " + total + ")" : "")
        .append("</h2>\n<table class=\"grid\"><thead><tr><th>timestamp</th>");
    for (String ch : series.channels()) {
      page.append("<th class=\"num\">").append(escape(ch)).append("</th><th class=\"num\">expected</th>");
    }
    page.append("<th class=\"num\">surprise</th><th>reason</th><th class=\"num\">deviation</th>"
        + "<th class=\"num\">reference band</th></tr></thead><tbody>\n").append(rows).append("</tbody></table>\n");
  }

  private static String resource(String name) {
    try (InputStream in = ScoreReport.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("the jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static String time(SeriesCsv.Series series, int t) {
    return series.length() == 0 ? "" : Timestamps.format(series.timestamps()[t]);
  }

  private static String text(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
