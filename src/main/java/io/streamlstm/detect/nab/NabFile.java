package io.streamlstm.detect.nab;

/**
 * One data file as the scorer sees it: a detector's anomaly score per row and the labelled windows as
 * inclusive row ranges {@code windows[k] = {left, right}}, in time order and not overlapping.
 */
public record NabFile(String name, double[] scores, int[][] windows) {

  /** Longest probationary period, in rows. */
  static final int MAX_PROBATION = 750;

  public NabFile {
    for (double s : scores) {
      if (!Double.isFinite(s)) throw new IllegalArgumentException(name + ": anomaly scores must be finite");
    }
    int previousRight = -1;
    for (int[] w : windows) {
      if (w.length != 2 || w[0] > w[1] || w[0] <= previousRight || w[1] >= scores.length) {
        throw new IllegalArgumentException(name + ": windows must be ordered, disjoint row ranges in the file");
      }
      previousRight = w[1];
    }
  }

  public int length() {
    return scores.length;
  }

  /** Rows before this one are for learning only and are not scored: min(floor(0.15 N), 750). */
  public int probation() {
    return Math.min((int) Math.floor(0.15 * scores.length), MAX_PROBATION);
  }
}
