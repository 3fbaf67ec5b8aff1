package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuddenErrorTest {

  @Test
  void theSurpriseIsTheSizeOfThisErrorAloneAgainstTheForecastsBand() {
    EvidenceTesting sudden = new EvidenceTesting(new SuddenError());
    assertEquals(0, sudden.stats.length, "it remembers nothing");
    assertEquals(Math.log1p(0.5), sudden.next(0.5, 0));
    assertEquals(Math.log1p(9), sudden.next(-9, 0), "either sign");
    assertEquals(-9, sudden.found.deviation);
    assertTrue(sudden.found.forecastBand && sudden.found.mayDecide);
    assertEquals(0, sudden.next(0, 0), "a spike leaves no trace on the next reading");
  }
}
