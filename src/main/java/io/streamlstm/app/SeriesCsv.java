package io.streamlstm.app;

import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * CSV series files: a header with a {@code timestamp} column and one column per channel, one reading a
 * row. Shared by {@code train}, {@code score} and {@code nab}.
 */
public final class SeriesCsv {

  /** One file's readings: {@code values[t][channel]}. */
  public record Series(String name, String[] channels, long[] timestamps, double[][] values) {

    public int length() {
      return timestamps.length;
    }

    /** One channel's values over time. */
    public double[] channel(int c) {
      double[] out = new double[values.length];
      for (int t = 0; t < values.length; t++) out[t] = values[t][c];
      return out;
    }
  }

  private SeriesCsv() {}

  /**
   * Reads one file.
   *
   * @throws IllegalArgumentException with a one-line reason (missing file, no timestamp column, a bad cell)
   */
  public static Series read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (lines.isEmpty()) throw new IllegalArgumentException(file + ": empty file");
    String[] header = split(lines.get(0));
    int timeColumn = Arrays.asList(header).indexOf("timestamp");
    if (timeColumn < 0) {
      throw new IllegalArgumentException(file + ": no 'timestamp' column in header " + lines.get(0));
    }
    if (header.length < 2) throw new IllegalArgumentException(file + ": no value column besides timestamp");
    String[] channels = new String[header.length - 1];
    for (int k = 0, c = 0; k < header.length; k++) {
      if (k != timeColumn) channels[c++] = header[k];
    }
    List<long[]> times = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) continue;
      String[] cells = split(line);
      if (cells.length != header.length) {
        throw new IllegalArgumentException(
            file + ":" + (n + 1) + ": expected " + header.length + " columns, got " + cells.length);
      }
      double[] row = new double[channels.length];
      long time;
      try {
        time = Timestamps.parse(cells[timeColumn]);
        for (int k = 0, c = 0; k < cells.length; k++) {
          if (k != timeColumn) row[c++] = Double.parseDouble(cells[k]);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (n + 1) + ": " + e.getMessage());
      }
      times.add(new long[] {time});
      rows.add(row);
    }
    long[] timestamps = new long[times.size()];
    for (int t = 0; t < timestamps.length; t++) timestamps[t] = times.get(t)[0];
    String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
    return new Series(name, channels, timestamps, rows.toArray(new double[0][]));
  }

  /** A file, or every {@code *.csv} below a directory in name order (so training is reproducible). */
  public static List<Series> readAll(Path fileOrDirectory) {
    if (!Files.isDirectory(fileOrDirectory)) return List.of(read(fileOrDirectory));
    try (Stream<Path> files = Files.walk(fileOrDirectory)) {
      List<Series> all =
          files.filter(p -> p.toString().endsWith(".csv")).sorted().map(SeriesCsv::read).toList();
      if (all.isEmpty()) throw new IllegalArgumentException(fileOrDirectory + ": no .csv files");
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + fileOrDirectory, e);
    }
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int k = 0; k < cells.length; k++) cells[k] = cells[k].strip().replace("\"", "");
    return cells;
  }
}
