package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LevelTest {

  @Test
  void aShortAverageSeesAJumpAndAnEpisodesAverageALastingDepartureOnly() {
    DetectorConfig d = DetectorConfig.defaults();
    EvidenceTesting jump = new EvidenceTesting(new Level(Explanation.Reason.LEVEL, d.shortHalfLife()));
    EvidenceTesting lasting = new EvidenceTesting(new Level(Explanation.Reason.LASTING_DEPARTURE, d.adaptHalfLife()));
    for (int t = 0; t < 1000; t++) {
      jump.next(0, 0.5);
      lasting.next(0, 0.5);
    }
    // The value (here in spreads of the history) goes to 4 and stays.
    double shortAfter3 = 0;
    double longAfter3 = 0;
    for (int t = 0; t < 3; t++) {
      shortAfter3 = jump.next(0, 4);
      longAfter3 = lasting.next(0, 4);
    }
    double atFour = Math.log1p(4);
    assertEquals(Math.log1p(0.5) + 0.5 * (atFour - Math.log1p(0.5)), shortAfter3, 1e-5, "half way within three readings");
    assertTrue(longAfter3 < Math.log1p(0.5) + 0.1 * (atFour - Math.log1p(0.5)), "the episode's average hardly moves yet");
    double longAfterEpisode = 0;
    for (int t = 0; t < d.adaptHalfLife(); t++) longAfterEpisode = lasting.next(0, 4);
    assertEquals((Math.log1p(0.5) + atFour) / 2, longAfterEpisode, 0.02, "half way after one episode's half-life");

    // The reading's own distance from the history is what a reader is told, against the history.
    assertEquals(4, lasting.found.deviation);
    assertTrue(!lasting.found.forecastBand && lasting.found.mayDecide);
    assertEquals(Explanation.Reason.LASTING_DEPARTURE, lasting.evidence.reason());
  }
}
