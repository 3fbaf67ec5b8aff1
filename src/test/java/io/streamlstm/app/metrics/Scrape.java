package io.streamlstm.app.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition parsed into series ({@code name{labels}}) and their values. */
record Scrape(Map<String, Double> series) {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static Scrape parse(String text) {
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample line: " + line);
      }
      series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return new Scrape(series);
  }

  /** The value of the one series named {@code name} whose labels include all of {@code labels}. */
  double value(String name, String... labels) {
    Double found = null;
    for (Map.Entry<String, Double> e : series.entrySet()) {
      if (matches(e.getKey(), name, labels)) {
        if (found != null) {
          throw new AssertionError("more than one series " + name + " " + String.join(",", labels));
        }
        found = e.getValue();
      }
    }
    if (found == null) {
      throw new AssertionError("no series " + name + " " + String.join(",", labels) + " in " + series.keySet());
    }
    return found;
  }

  /** The sum over all series named {@code name} whose labels include all of {@code labels}. */
  double sum(String name, String... labels) {
    return series.entrySet().stream().filter(e -> matches(e.getKey(), name, labels))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  boolean has(String name, String... labels) {
    return series.keySet().stream().anyMatch(k -> matches(k, name, labels));
  }

  /** Distinct values of label {@code label} over the series named {@code name}. */
  Set<String> labelValues(String name, String label) {
    Set<String> values = new TreeSet<>();
    for (String key : series.keySet()) {
      if (key.equals(name) || key.startsWith(name + "{")) {
        Matcher m = LABEL.matcher(key);
        while (m.find()) {
          if (m.group(1).equals(label)) {
            values.add(m.group(2));
          }
        }
      }
    }
    return values;
  }

  private static boolean matches(String key, String name, String... labels) {
    if (!(key.equals(name) || key.startsWith(name + "{"))) {
      return false;
    }
    for (int i = 0; i < labels.length; i += 2) {
      if (!key.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
        return false;
      }
    }
    return true;
  }
}
