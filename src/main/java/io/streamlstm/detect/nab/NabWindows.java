package io.streamlstm.detect.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB's {@code labels/combined_windows.json}: per file ({@code "<category>/<name>.csv"}) the labelled
 * anomaly windows as inclusive {@code [start, end]} timestamps, turned into row ranges of the file.
 */
public final class NabWindows {

  /** One window in epoch milliseconds, both ends inclusive. */
  public record TimeWindow(long start, long end) {}

  private final Map<String, List<TimeWindow>> byFile;

  private NabWindows(Map<String, List<TimeWindow>> byFile) {
    this.byFile = byFile;
  }

  public static NabWindows read(Path json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json, e);
    }
    if (root == null || !root.isObject()) throw new IllegalArgumentException(json + ": not a JSON object");
    Map<String, List<TimeWindow>> byFile = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      List<TimeWindow> windows = new ArrayList<>();
      for (JsonNode pair : file.getValue()) {
        if (pair.size() != 2) throw new IllegalArgumentException(json + ": " + file.getKey() + ": window " + pair);
        windows.add(new TimeWindow(epochMillis(pair.get(0).asText()), epochMillis(pair.get(1).asText())));
      }
      byFile.put(file.getKey(), List.copyOf(windows));
    }
    return new NabWindows(byFile);
  }

  /** @throws IllegalArgumentException when the labels know nothing of {@code file} */
  public List<TimeWindow> of(String file) {
    List<TimeWindow> windows = byFile.get(file);
    if (windows == null) throw new IllegalArgumentException("no labelled windows for " + file);
    return windows;
  }

  /**
   * The windows of the entry named {@code name}, or ending in {@code "/" + name} (a file given without its
   * category); none when the labels do not name it.
   */
  public List<TimeWindow> named(String name) {
    List<TimeWindow> exact = byFile.get(name);
    if (exact != null) return exact;
    for (Map.Entry<String, List<TimeWindow>> e : byFile.entrySet()) {
      if (e.getKey().endsWith("/" + name)) return e.getValue();
    }
    return List.of();
  }

  /**
   * Row ranges {@code {left, right}} of {@code windows} in a file with these (ascending) row timestamps:
   * the first row at or after the start to the last row at or before the end.
   */
  public static int[][] rows(long[] timestamps, List<TimeWindow> windows) {
    int[][] rows = new int[windows.size()][];
    for (int k = 0; k < rows.length; k++) {
      TimeWindow w = windows.get(k);
      int left = 0;
      while (left < timestamps.length && timestamps[left] < w.start()) left++;
      int right = timestamps.length - 1;
      while (right >= 0 && timestamps[right] > w.end()) right--;
      if (left > right) throw new IllegalArgumentException("window " + w + " holds no row of the file");
      rows[k] = new int[] {left, right};
    }
    return rows;
  }

  /** NAB writes {@code 2014-04-10 07:15:00.000000}, zone-less: UTC. */
  static long epochMillis(String text) {
    try {
      return LocalDateTime.parse(text.strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a NAB timestamp: '" + text + "'");
    }
  }
}
