package io.streamlstm.detect.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamlstm.detect.nab.NabScorer.FileScore;
import io.streamlstm.detect.nab.NabScorer.ProfileScore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases. Most use a file of N = 400 rows (probation min(floor(0.15 * 400), 750) = 60 rows)
 * with one window of rows [100, 200] (width 101). Constants used in the comments:
 * sigma(y) = 2 / (1 + e^(5y)) - 1; sigma(-1) = 2 / (1 + e^-5) - 1 = 2 / 1.0067379 - 1 = 0.9866143.
 */
class NabScorerTest {

  private static final double EPS = 1e-6;
  private static final int[][] WINDOW = {{100, 200}};

  /** A file of N = 400 rows scoring 0 everywhere except the given rows, which score 1. */
  private static NabFile fileFiringAt(int... rows) {
    double[] scores = new double[400];
    for (int r : rows) scores[r] = 1;
    return new NabFile("f", scores, WINDOW);
  }

  private static double standard(NabFile f) {
    return NabScorer.scoreFile(f, NabProfile.STANDARD, 0.5).score();
  }

  @Test
  void probationIsFifteenPercentCappedAt750Rows() {
    assertEquals(60, fileFiringAt().probation()); // floor(0.15 * 400)
    assertEquals(750, new NabFile("long", new double[10_000], new int[0][]).probation()); // min(1500, 750)
  }

  @Test
  void detectionAtTheWindowsFirstRowEarnsExactlyTp() {
    // y = -(200 - 100 + 1) / 101 = -1: sigma(-1) / sigma(-1) = 1, times tp = 1.
    FileScore s = NabScorer.scoreFile(fileFiringAt(100), NabProfile.STANDARD, 0.5);
    assertEquals(1.0, s.score(), 1e-12);
    assertEquals(1, s.detectedWindows());
    assertEquals(0, s.missedWindows());
    assertEquals(0, s.falsePositives());
  }

  @Test
  void laterDetectionEarnsLessAndTheLastRowAlmostNothing() {
    // Row 150: y = -(200 - 150 + 1) / 101 = -0.5049505; e^(5y) = 0.0800781;
    // sigma = 2 / 1.0800781 - 1 = 0.8517179; / 0.9866143 = 0.8632734.
    assertEquals(0.8632734, standard(fileFiringAt(150)), EPS);
    // Row 200: y = -1 / 101; sigma = 2 / (1 + e^-0.0495050) - 1 = 0.0247474; / 0.9866143 = 0.0250832.
    assertEquals(0.0250832, standard(fileFiringAt(200)), EPS);
  }

  @Test
  void onlyTheFirstDetectionInAWindowCounts() {
    // Rows 150 and 199 come after row 100 in the same window: they add nothing to the 1 earned at row 100.
    assertEquals(1.0, standard(fileFiringAt(100, 150, 199)), 1e-12);
    assertEquals(standard(fileFiringAt(150)), standard(fileFiringAt(150, 151, 200)), 1e-12);
  }

  @Test
  void missedWindowCostsFnWeight() {
    assertEquals(-1.0, standard(fileFiringAt()), 1e-12); // standard: fn = 1
    assertEquals(-2.0, NabScorer.scoreFile(fileFiringAt(), NabProfile.LOW_FN, 0.5).score(), 1e-12); // fn = 2
  }

  @Test
  void falsePositiveJustAfterAWindowCostsLittle() {
    // Row 201: y = (201 - 200) / (101 - 1) = 0.01; sigma = 2 / (1 + e^0.05) - 1 = 2 / 2.0512711 - 1 = -0.0249948;
    // times fp = 0.11: -0.0027494. With the window hit at its first row: 1 - 0.0027494.
    FileScore s = NabScorer.scoreFile(fileFiringAt(100, 201), NabProfile.STANDARD, 0.5);
    assertEquals(1 - 0.0027494, s.score(), EPS);
    assertEquals(1, s.falsePositives());
    // Row 300: y = 100 / 100 = 1; sigma = 2 / (1 + e^5) - 1 = -0.9866143; times 0.11: -0.1085276.
    assertEquals(1 - 0.1085276, standard(fileFiringAt(100, 300)), EPS);
    // Row 399: y = 199 / 100 = 1.99 < 3: sigma(1.99) = 2 / (1 + e^9.95 = 20952.2) - 1 = -0.9999045; times 0.22 (low FP).
    assertEquals(
        1 - 0.22 * 0.9999045, NabScorer.scoreFile(fileFiringAt(100, 399), NabProfile.LOW_FP, 0.5).score(), EPS);
  }

  @Test
  void falsePositiveBeforeAnyWindowCostsTheFullFp() {
    // Row 70 is scored (>= 60) and comes before every window: -fp = -0.11, plus the hit at 100.
    assertEquals(1 - 0.11, standard(fileFiringAt(70, 100)), 1e-12);
    // Every row is its own false positive: rows 70, 71, 72 cost 3 * 0.11.
    assertEquals(1 - 0.33, standard(fileFiringAt(70, 71, 72, 100)), 1e-12);
  }

  @Test
  void probationaryRowsAreNotScored() {
    // Row 59 < 60: a detection there is neither a false positive nor anything else.
    FileScore s = NabScorer.scoreFile(fileFiringAt(59, 100), NabProfile.STANDARD, 0.5);
    assertEquals(1.0, s.score(), 1e-12);
    assertEquals(0, s.falsePositives());
  }

  @Test
  void thresholdSelectionPicksTheBestSingleThreshold() {
    // File a: window row 100 scores 0.9, far false positive row 300 scores 0.95, other scored rows 0.1.
    //   T = 0.95: only row 300 fires: -1 (missed) - 0.1085276 = -1.1085276
    //   T = 0.9: rows 100 and 300: 1 - 0.1085276 = 0.8914724
    //   T = 0.1: everything fires: 40 rows before the window alone cost 40 * 0.11 = 4.4: worse.
    // File b (no window, N = 400): row 250 scores 0.92, others 0.
    //   it fires at T <= 0.92: -0.11 (no window before it). And at T = 0: 340 false positives.
    // Corpus: T = 0.95: -1.1085276; T = 0.92: -1.2185276; T = 0.9: 0.8914724 - 0.11 = 0.7814724;
    //   T = 0.1 and T = 0: far worse. Best T = 0.9, raw 0.7814724.
    double[] a = new double[400];
    java.util.Arrays.fill(a, 0.1);
    a[100] = 0.9;
    a[300] = 0.95;
    double[] b = new double[400];
    b[250] = 0.92;
    NabScorer scorer =
        new NabScorer(List.of(new NabFile("a", a, WINDOW), new NabFile("b", b, new int[0][])));
    ProfileScore standard = scorer.score(NabProfile.STANDARD);
    assertEquals(0.9, standard.threshold());
    assertEquals(0.7814724, standard.raw(), EPS);
    // One window: S_null = -1, S_perfect = 1: 100 * (0.7814724 + 1) / 2 = 89.07362.
    assertEquals(89.07362, standard.normalised(), 1e-4);
    assertEquals(List.of(0.8914724, -0.11), standard.files().stream().map(f -> round(f.score())).toList());
  }

  @Test
  void sweepAgreesWithTryingEveryThresholdOneByOne() {
    SplittableRandom random = new SplittableRandom(42);
    List<NabFile> corpus = new ArrayList<>();
    for (int f = 0; f < 6; f++) {
      int n = 200 + random.nextInt(400);
      double[] scores = new double[n];
      // Few distinct values so ties matter.
      for (int i = 0; i < n; i++) scores[i] = random.nextInt(40) / 40.0;
      int left = n / 3 + random.nextInt(n / 6);
      int[][] windows = f % 3 == 0 ? new int[0][] : new int[][] {{left, left + 10 + random.nextInt(30)}};
      corpus.add(new NabFile("f" + f, scores, windows));
    }
    NabScorer scorer = new NabScorer(corpus);
    for (NabProfile profile : NabProfile.ALL) {
      TreeSet<Double> candidates = new TreeSet<>();
      for (NabFile f : corpus) {
        for (int i = f.probation(); i < f.length(); i++) candidates.add(f.scores()[i]);
      }
      double best = Double.NEGATIVE_INFINITY, bestT = Double.NaN;
      for (double t : candidates.descendingSet()) {
        double total = 0;
        for (NabFile f : corpus) total += NabScorer.scoreFile(f, profile, t).score();
        if (total > best + 1e-12) {
          best = total;
          bestT = t;
        }
      }
      ProfileScore s = scorer.score(profile);
      assertEquals(bestT, s.threshold(), profile.name());
      assertEquals(best, s.raw(), 1e-9, profile.name());
    }
  }

  private static double round(double x) {
    return Math.round(x * 1e7) / 1e7;
  }
}
