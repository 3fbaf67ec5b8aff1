package io.streamlstm.app;

import io.streamlstm.detect.Score;
import io.streamlstm.streams.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code score --report} page: one self-contained HTML file (inline SVG and CSS, nothing fetched) with,
 * per channel, the series, the expected band and the anomalies, and below them the likelihood.
 */
final class ScoreReport {

  private static final int WIDTH = 1100;
  private static final int HEIGHT = 260;
  private static final int LIKELIHOOD_HEIGHT = 110;
  private static final int LEFT = 70;
  private static final int RIGHT = 15;
  private static final int TOP = 12;
  private static final int BOTTOM = 28;
  private static final int MAX_LISTED = 200;

  private ScoreReport() {}

  /** The page for {@code series} and its scores ({@code null} where a row was refused). */
  static String html(SeriesCsv.Series series, Score[] scores, String modelVersion, double threshold) {
    int anomalies = 0;
    int warming = 0;
    int refused = 0;
    for (Score s : scores) {
      if (s == null) refused++;
      else if (s.warmingUp()) warming++;
      else if (s.anomaly()) anomalies++;
    }
    StringBuilder page = new StringBuilder(64 * 1024);
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape(series.name())).append(" · StreamLSTM scores</title>\n<style>\n")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:")
        .append(WIDTH + 20).append("px}\n")
        .append("h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 4px}")
        .append(".meta{color:#555;margin-bottom:8px}\n")
        .append("svg{display:block;background:#fff;border:1px solid #ddd}\n")
        .append(".axis{font-size:11px;fill:#555}.grid{stroke:#eee}\n")
        .append(".legend span{margin-right:18px}.sw{display:inline-block;width:14px;height:10px;margin-right:5px}\n")
        .append("table{border-collapse:collapse;font-size:12px}td,th{padding:2px 10px;border-bottom:1px solid #eee;")
        .append("text-align:right}th{background:#f6f6f6}\n</style></head><body>\n");
    page.append("<h1>").append(escape(series.name())).append("</h1>\n<div class=\"meta\">")
        .append(series.length()).append(" readings from ").append(time(series, 0)).append(" to ")
        .append(time(series, series.length() - 1)).append(" · model ").append(escape(modelVersion))
        .append(" · <b>").append(anomalies).append(" anomalies</b> (likelihood ≥ ").append(threshold)
        .append(") · ").append(warming).append(" warming up");
    if (refused > 0) page.append(" · ").append(refused).append(" refused");
    page.append("</div>\n<div class=\"legend\">")
        .append("<span><i class=\"sw\" style=\"background:#1f5fa8\"></i>reading</span>")
        .append("<span><i class=\"sw\" style=\"background:#f0b35a;opacity:.45\"></i>expected band</span>")
        .append("<span><i class=\"sw\" style=\"background:#c07a00\"></i>expected</span>")
        .append("<span><i class=\"sw\" style=\"background:#d62728;border-radius:5px\"></i>anomaly</span>")
        .append("<span><i class=\"sw\" style=\"background:#eee\"></i>warm-up</span></div>\n");
    for (int c = 0; c < series.channels().length; c++) {
      if (series.channels().length > 1) page.append("<h2>").append(escape(series.channels()[c])).append("</h2>\n");
      channelChart(page, series, scores, c);
    }
    page.append("<h2>Anomaly likelihood</h2>\n");
    likelihoodChart(page, series, scores, threshold);
    anomalyTable(page, series, scores);
    page.append("</body></html>\n");
    return page.toString();
  }

  private static void channelChart(StringBuilder page, SeriesCsv.Series series, Score[] scores, int c) {
    int n = series.length();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < n; t++) {
      double v = series.values()[t][c];
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      // The band widens the range only after warm-up: the first bands of a fresh state can be huge.
      if (scores[t] != null && !scores[t].warmingUp()) {
        lo = Math.min(lo, scores[t].lower()[c]);
        hi = Math.max(hi, scores[t].upper()[c]);
      }
    }
    double pad = hi > lo ? 0.05 * (hi - lo) : Math.abs(hi) * 0.05 + 1e-9;
    Frame f = new Frame(n, lo - pad, hi + pad, HEIGHT);
    page.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" role=\"img\" aria-label=\"series ")
        .append(escape(series.channels()[c])).append("\">\n");
    warmUpShade(page, scores, f);
    f.axes(page, series);
    // Band: upper edge left to right, lower edge back; refused and warm-up rows leave gaps.
    StringBuilder upper = new StringBuilder();
    List<String> lower = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    for (int t = 0; t < n; t++) {
      Score s = scores[t];
      if (s == null || s.warmingUp()) {
        closeBand(page, upper, lower);
        flushLine(page, expected, "#c07a00", "1", "4 3");
        continue;
      }
      f.point(upper, t, s.upper()[c]);
      lower.add(f.x(t) + "," + f.y(s.lower()[c]) + " ");
      f.point(expected, t, s.expected()[c]);
    }
    closeBand(page, upper, lower);
    flushLine(page, expected, "#c07a00", "1", "4 3");
    StringBuilder values = new StringBuilder();
    for (int t = 0; t < n; t++) f.point(values, t, series.values()[t][c]);
    flushLine(page, values, "#1f5fa8", "1.2", null);
    for (int t = 0; t < n; t++) {
      // An anomaly is marked on the channel that contributed most to it, not on every channel.
      if (scores[t] != null && scores[t].anomaly() && isLeading(scores[t].channelShares(), c)) {
        page.append("<circle cx=\"").append(f.x(t)).append("\" cy=\"").append(f.y(series.values()[t][c]))
            .append("\" r=\"4\" fill=\"#d62728\" fill-opacity=\".8\"><title>").append(time(series, t))
            .append(" value ").append(number(series.values()[t][c])).append(" likelihood ")
            .append(number(scores[t].likelihood())).append("</title></circle>\n");
      }
    }
    page.append("</svg>\n");
  }

  private static boolean isLeading(double[] shares, int c) {
    for (double share : shares) {
      if (share > shares[c]) return false;
    }
    return true;
  }

  private static void likelihoodChart(StringBuilder page, SeriesCsv.Series series, Score[] scores, double threshold) {
    int n = series.length();
    Frame f = new Frame(n, 0, 1, LIKELIHOOD_HEIGHT);
    page.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(LIKELIHOOD_HEIGHT).append("\" width=\"")
        .append(WIDTH).append("\" height=\"").append(LIKELIHOOD_HEIGHT)
        .append("\" role=\"img\" aria-label=\"likelihood\">\n");
    warmUpShade(page, scores, f);
    f.axes(page, series);
    page.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
        .append(f.y(threshold)).append("\" y2=\"").append(f.y(threshold))
        .append("\" stroke=\"#d62728\" stroke-dasharray=\"3 3\"/>\n");
    StringBuilder line = new StringBuilder();
    for (int t = 0; t < n; t++) f.point(line, t, scores[t] == null ? 0 : scores[t].likelihood());
    flushLine(page, line, "#555", "1", null);
    page.append("</svg>\n");
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
        rows.append("<td>").append(number(s.values()[c])).append("</td><td>").append(number(s.expected()[c]))
            .append("</td>");
      }
      rows.append("<td>").append(number(s.likelihood())).append("</td></tr>\n");
    }
    if (total == 0) {
      page.append("<p>No anomalies.</p>\n");
      return;
    }
    page.append("<h2>Anomalies").append(total > MAX_LISTED ? " (first " + MAX_LISTED + " of " + total + ")" : "")
        .append("</h2>\n<table><tr><th>timestamp</th>");
    for (String ch : series.channels()) {
      page.append("<th>").append(escape(ch)).append("</th><th>expected</th>");
    }
    page.append("<th>likelihood</th></tr>\n").append(rows).append("</table>\n");
  }

  private static void warmUpShade(StringBuilder page, Score[] scores, Frame f) {
    int end = 0;
    while (end < scores.length && (scores[end] == null || scores[end].warmingUp())) end++;
    if (end == 0) return;
    page.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(fixed(f.xAt(end) - LEFT)).append("\" height=\"").append(f.height - TOP - BOTTOM)
        .append("\" fill=\"#eee\"/>\n");
  }

  private static void closeBand(StringBuilder page, StringBuilder upper, List<String> lower) {
    if (upper.length() > 0) {
      page.append("<polygon points=\"").append(upper);
      for (int k = lower.size() - 1; k >= 0; k--) page.append(lower.get(k));
      page.append("\" fill=\"#f0b35a\" fill-opacity=\".35\" stroke=\"none\"/>\n");
    }
    upper.setLength(0);
    lower.clear();
  }

  private static void flushLine(StringBuilder page, StringBuilder points, String color, String width, String dash) {
    if (points.length() > 0) {
      page.append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"").append(color)
          .append("\" stroke-width=\"").append(width).append('"');
      if (dash != null) page.append(" stroke-dasharray=\"").append(dash).append('"');
      page.append("/>\n");
    }
    points.setLength(0);
  }

  /** Maps row index and value to SVG coordinates inside the plot area. */
  private static final class Frame {
    final int n;
    final double lo;
    final double hi;
    final int height;

    Frame(int n, double lo, double hi, int height) {
      this.n = Math.max(n, 2);
      this.lo = lo;
      this.hi = hi;
      this.height = height;
    }

    double xAt(int t) {
      return LEFT + (WIDTH - LEFT - RIGHT) * (double) Math.min(t, n - 1) / (n - 1);
    }

    String x(int t) {
      return fixed(xAt(t));
    }

    String y(double v) {
      double clamped = Math.max(lo, Math.min(hi, v));
      return fixed(TOP + (height - TOP - BOTTOM) * (hi - clamped) / (hi - lo));
    }

    void point(StringBuilder points, int t, double v) {
      if (Double.isFinite(v)) points.append(x(t)).append(',').append(y(v)).append(' ');
    }

    void axes(StringBuilder page, SeriesCsv.Series series) {
      int bottom = height - BOTTOM;
      // Round ticks: 1, 2 or 5 times a power of ten, about five of them.
      double raw = (hi - lo) / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude
          : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
      for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
        String y = y(v);
        page.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
            .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>")
            .append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(y)
            .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(tick(v, step)).append("</text>\n");
      }
      for (int k = 0; k <= 4; k++) {
        int t = (int) Math.round((double) (series.length() - 1) * k / 4);
        String anchor = k == 0 ? "start" : k == 4 ? "end" : "middle";
        page.append("<text class=\"axis\" x=\"").append(x(t)).append("\" y=\"").append(bottom + 17)
            .append("\" text-anchor=\"").append(anchor).append("\">")
            .append(series.length() == 0 ? "" : time(series, t).replace('T', ' ').replace("Z", ""))
            .append("</text>\n");
      }
      page.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
          .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(bottom - TOP)
          .append("\" fill=\"none\" stroke=\"#ccc\"/>\n");
    }
  }

  private static String time(SeriesCsv.Series series, int t) {
    return series.length() == 0 ? "" : Timestamps.format(series.timestamps()[t]);
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A tick label with as many decimals as the step needs, and no "-0". */
  private static String tick(double v, double step) {
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    String text = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
