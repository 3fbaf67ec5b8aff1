package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorRunTest {

  private static final double HALF_LIFE = DetectorConfig.defaults().shortHalfLife();

  @Test
  void aRunOfModerateErrorsBuildsUpWhereOneLargeErrorFades() {
    EvidenceTesting run = new EvidenceTesting(new ErrorRun(HALF_LIFE));
    for (int t = 0; t < 100; t++) run.next(0.5, 0);
    assertEquals(Math.log1p(0.5), run.next(0.5, 0), 1e-6, "the root mean square of a steady error is its size");

    // Ten errors of 2σ in a row: each alone is ordinary, their run nears 2σ.
    double surprise = 0;
    for (int t = 0; t < 10; t++) surprise = run.next(2, 0);
    assertTrue(surprise > Math.log1p(1.8), "run of 2σ errors: " + surprise);
    assertTrue(run.found.forecastBand);

    // One error of 6σ among small ones: it shows at once and is half gone after one half-life.
    for (int t = 0; t < 100; t++) run.next(0, 0);
    double peak = Math.expm1(run.next(6, 0));
    assertEquals(6 * Math.sqrt(AnomalyLikelihood.alpha(HALF_LIFE)), peak, 1e-5);
    for (int t = 0; t < HALF_LIFE; t++) run.next(0, 0);
    assertEquals(peak / Math.sqrt(2), Math.expm1(run.next(0, 0)) / Math.sqrt(1 - AnomalyLikelihood.alpha(HALF_LIFE)), 1e-5);
  }
}
