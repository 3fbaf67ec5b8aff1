package io.streamlstm.detect.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NAB's scoring rules (see {@code SCORING.md} of the data): a detection is a scored row with
 * {@code anomaly_score >= T}; the first detection in a window earns up to {@code tp}, a window without
 * one costs {@code fn}, a detection outside every window costs up to {@code fp}, weighted by a scaled
 * sigmoid of its distance to the window's end (inside) or the preceding window's end (outside). The
 * benchmark picks, per profile, the one threshold over the whole corpus that scores best.
 *
 * <p>Built once per corpus: every scored row's reward or cost is profile-free up to a weight, so the
 * rows are sorted once by score and each profile is a single sweep from the highest score down,
 * adding one row's detection at a time to a running total.
 */
public final class NabScorer {

  /** One file's result at a threshold. */
  public record FileScore(String name, double score, int detectedWindows, int missedWindows, int falsePositives) {}

  /** A profile's best threshold, the corpus score there, and what the null and perfect detectors score. */
  public record ProfileScore(
      NabProfile profile, double threshold, double raw, double nullScore, double perfectScore, List<FileScore> files) {

    /** 0 for a detector that never fires, 100 for one that fires exactly at each window's first row. */
    public double normalised() {
      return 100 * (raw - nullScore) / (perfectScore - nullScore);
    }
  }

  private final List<NabFile> corpus;
  private final int windowCount;
  // The scored rows of the whole corpus, highest anomaly score first.
  private final double[] sortedScores;
  // Per sorted row: the corpus-wide index of its window, or -1 outside every window.
  private final int[] sortedWindow;
  // Per sorted row: reward / tp inside a window (in (0, 1]), cost / fp outside (in [-1, 0)).
  private final double[] sortedUnit;

  public NabScorer(List<NabFile> corpus) {
    this.corpus = List.copyOf(corpus);
    int rows = 0, windows = 0;
    for (NabFile f : corpus) {
      rows += f.length() - f.probation();
      windows += f.windows().length;
    }
    this.windowCount = windows;
    double[] score = new double[rows];
    int[] window = new int[rows];
    double[] unit = new double[rows];
    int r = 0, firstWindow = 0;
    for (NabFile f : corpus) {
      int[][] w = f.windows();
      int k = 0; // the first window not yet ended at row i
      for (int i = f.probation(); i < f.length(); i++, r++) {
        while (k < w.length && w[k][1] < i) k++;
        score[r] = f.scores()[i];
        boolean inside = k < w.length && w[k][0] <= i;
        window[r] = inside ? firstWindow + k : -1;
        unit[r] = inside ? windowReward(i, w[k]) : falsePositiveCost(i, k > 0 ? w[k - 1] : null);
      }
      firstWindow += w.length;
    }
    Integer[] order = new Integer[rows];
    for (int n = 0; n < rows; n++) order[n] = n;
    Arrays.sort(order, Comparator.comparingDouble((Integer n) -> score[n]).reversed());
    sortedScores = new double[rows];
    sortedWindow = new int[rows];
    sortedUnit = new double[rows];
    for (int n = 0; n < rows; n++) {
      sortedScores[n] = score[order[n]];
      sortedWindow[n] = window[order[n]];
      sortedUnit[n] = unit[order[n]];
    }
  }

  /** The profile's best threshold and the corpus and per-file scores there. */
  public ProfileScore score(NabProfile profile) {
    double threshold = bestThreshold(profile);
    List<FileScore> files = new ArrayList<>();
    double raw = 0;
    for (NabFile f : corpus) {
      FileScore s = scoreFile(f, profile, threshold);
      files.add(s);
      raw += s.score();
    }
    return new ProfileScore(
        profile, threshold, raw, -profile.fn() * windowCount, profile.tp() * windowCount, List.copyOf(files));
  }

  /**
   * Tries every distinct scored anomaly score as T, highest first, and keeps the one with the highest
   * corpus score (the highest T among equals). Lowering T to the next value only adds detections, so
   * the total changes by those rows alone: a false positive adds its cost; a detection in a window
   * replaces the window's first detection (or its miss) only when it comes earlier.
   */
  public double bestThreshold(NabProfile profile) {
    double total = -profile.fn() * windowCount;
    int[] firstDetection = new int[windowCount]; // sorted-row index of the window's earliest detection
    Arrays.fill(firstDetection, -1);
    double best = Double.NEGATIVE_INFINITY;
    double bestThreshold = Double.POSITIVE_INFINITY;
    for (int n = 0; n < sortedScores.length; ) {
      double threshold = sortedScores[n];
      for (; n < sortedScores.length && sortedScores[n] == threshold; n++) {
        int w = sortedWindow[n];
        if (w < 0) {
          total += profile.fp() * sortedUnit[n];
        } else if (firstDetection[w] < 0) {
          total += profile.fn() + profile.tp() * sortedUnit[n];
          firstDetection[w] = n;
        } else if (sortedUnit[n] > sortedUnit[firstDetection[w]]) { // earlier in the window earns more
          total += profile.tp() * (sortedUnit[n] - sortedUnit[firstDetection[w]]);
          firstDetection[w] = n;
        }
      }
      if (total > best) {
        best = total;
        bestThreshold = threshold;
      }
    }
    return bestThreshold;
  }

  /** One file's score at threshold T, straight from the rules. */
  public static FileScore scoreFile(NabFile f, NabProfile profile, double threshold) {
    int[][] w = f.windows();
    double score = 0;
    int detected = 0, falsePositives = 0;
    boolean[] hit = new boolean[w.length];
    int k = 0;
    for (int i = f.probation(); i < f.length(); i++) {
      while (k < w.length && w[k][1] < i) k++;
      if (f.scores()[i] < threshold) continue;
      if (k < w.length && w[k][0] <= i) {
        if (!hit[k]) {
          hit[k] = true;
          detected++;
          score += profile.tp() * windowReward(i, w[k]);
        }
      } else {
        falsePositives++;
        score += profile.fp() * falsePositiveCost(i, k > 0 ? w[k - 1] : null);
      }
    }
    int missed = w.length - detected;
    score -= profile.fn() * missed;
    return new FileScore(f.name(), score, detected, missed, falsePositives);
  }

  /** NAB's scaled sigmoid: {@code 2 / (1 + e^(5y)) - 1}, and -1 beyond y = 3. */
  static double sigmoid(double y) {
    return y > 3 ? -1 : 2 / (1 + Math.exp(5 * y)) - 1;
  }

  /** Reward, per unit of tp, of a first detection at row i of the window: 1 at its first row, ~0 at its last. */
  static double windowReward(int i, int[] window) {
    double width = window[1] - window[0] + 1;
    return sigmoid(-(window[1] - i + 1) / width) / sigmoid(-1);
  }

  /**
   * Cost, per unit of fp, of a detection at row i outside every window: near 0 just after the preceding
   * window, the full -1 far from it or with no window before.
   */
  static double falsePositiveCost(int i, int[] previousWindow) {
    if (previousWindow == null) return -1;
    double width = previousWindow[1] - previousWindow[0] + 1;
    return sigmoid((i - previousWindow[1]) / (width - 1));
  }
}
