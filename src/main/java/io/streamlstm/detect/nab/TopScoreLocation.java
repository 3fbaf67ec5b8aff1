package io.streamlstm.detect.nab;

import java.util.List;

/**
 * The held-out benchmark's rule for series with one anomaly, applied to the files of a corpus with exactly
 * one labelled window: a file counts when its highest score after the probation (on ties, the earliest row)
 * lies within {@link #TOLERANCE} rows of the window. It rewards ranking, not a threshold: the largest
 * anomaly of a series must score above everything else in it.
 *
 * @param files files with exactly one window
 * @param located those whose highest score lies within the tolerance of it
 */
public record TopScoreLocation(int files, int located) {

  public static final int TOLERANCE = 100;

  public static TopScoreLocation count(List<NabFile> corpus) {
    int files = 0, located = 0;
    for (NabFile f : corpus) {
      if (f.windows().length != 1) continue;
      files++;
      int top = f.probation();
      for (int i = top + 1; i < f.length(); i++) if (f.scores()[i] > f.scores()[top]) top = i;
      int[] w = f.windows()[0];
      if (top >= w[0] - TOLERANCE && top <= w[1] + TOLERANCE) located++;
    }
    return new TopScoreLocation(files, located);
  }

  public double share() {
    return files == 0 ? 0 : (double) located / files;
  }
}
