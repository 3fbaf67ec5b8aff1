package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuddenErrorTest {

  private static final long MINUTE = 60_000L;

  @Test
  void theSurpriseIsTheSizeOfThisErrorAloneAgainstTheForecastsBand() {
    EvidenceTesting sudden = new EvidenceTesting(new SuddenError(2000));
    assertEquals(Math.log1p(0.5), sudden.next(0.5, 0));
    assertEquals(Math.log1p(9), sudden.next(-9, 0), "either sign");
    assertEquals(-9, sudden.found.deviation);
    assertTrue(sudden.found.forecastBand && sudden.found.mayDecide);
    assertEquals(0, sudden.next(0, 0), "a spike leaves no trace on the next reading");
  }

  @Test
  void aReadingAfterALongSilenceWasNotForecastAndMayNotFlag() {
    EvidenceTesting sudden = new EvidenceTesting(new SuddenError(2000));
    long t = 0;
    for (int i = 0; i < 100; i++) sudden.next(0.1, 0, t += MINUTE, MINUTE);
    assertEquals(Math.log1p(MINUTE), sudden.stats[SuddenError.LOG_SPACING], 1e-5, "the usual spacing: a minute");

    assertEquals(Math.log1p(20), sudden.next(20, 0, t += 8 * MINUTE, 8 * MINUTE));
    assertTrue(sudden.found.mayDecide, "eight readings missed: still the forecast's error");

    assertEquals(Math.log1p(20), sudden.next(20, 0, t += 24 * 60 * MINUTE, 24 * 60 * MINUTE), "counted all the same");
    assertFalse(sudden.found.mayDecide, "a day's silence: no forecast was made for this reading");

    sudden.next(20, 0, t += MINUTE, MINUTE);
    assertTrue(sudden.found.mayDecide, "the reading after it was forecast again");
    // Its weight is one gap in 103: the usual spacing grows by under a tenth.
    assertEquals(Math.log1p(MINUTE), sudden.stats[SuddenError.LOG_SPACING], 0.1, "one silence moves the spacing little");
  }

  @Test
  void readingsAtTheSameInstantDoNotShortenTheSpacing() {
    EvidenceTesting sudden = new EvidenceTesting(new SuddenError(2000));
    long t = 0;
    for (int i = 0; i < 100; i++) {
      sudden.next(0.1, 0, t += MINUTE, MINUTE);
      sudden.next(0.1, 0, t, 0); // a batch of two a minute
    }
    assertEquals(Math.log1p(MINUTE), sudden.stats[SuddenError.LOG_SPACING], 1e-5, "the spacing: still a minute");
    sudden.next(20, 0, t += MINUTE, MINUTE);
    assertTrue(sudden.found.mayDecide, "a minute is no silence for it");
  }

  @Test
  void aSensorsFirstGapIsItsUsualSpacingWhateverItsLength() {
    EvidenceTesting sudden = new EvidenceTesting(new SuddenError(2000));
    sudden.next(20, 0, 3_600_000L, 3_600_000L);
    assertTrue(sudden.found.mayDecide, "nothing known yet of the spacing: every error is the forecast's");
    sudden.next(20, 0, 7_200_000L, 3_600_000L);
    assertTrue(sudden.found.mayDecide, "an hourly sensor's hour is no silence");
  }
}
