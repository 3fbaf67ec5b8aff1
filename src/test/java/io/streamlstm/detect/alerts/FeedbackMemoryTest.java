package io.streamlstm.detect.alerts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Explanation.Reason;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FeedbackMemoryTest {

  private static final double MARGIN = 0.25;

  /** A departure of {@code size} from an expected value of 0. */
  private static Departure departure(Reason reason, Direction direction, double size) {
    return new Departure(reason, direction, direction == Direction.HIGH ? size : -size, 0);
  }

  @Test
  void aNormalLabelTeachesTheLargestDeparturePerKindAndDirectionOfTheFlaggedReadingsInItsSpan() {
    final FeedbackMemory memory = new FeedbackMemory();
    memory.remember(100, departure(Reason.SUDDEN_ERROR, Direction.LOW, 8));
    memory.remember(200, departure(Reason.SUDDEN_ERROR, Direction.LOW, 10));
    memory.remember(300, departure(Reason.ROUTINE, Direction.LOW, 6));
    memory.remember(400, departure(Reason.SUDDEN_ERROR, Direction.LOW, 30)); // after the span
    assertFalse(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.LOW, 1), MARGIN), "nothing learned yet");

    assertEquals(3, memory.learnNormal(100, 300));
    assertEquals(10, memory.learnedPeak(Reference.FORECAST, Direction.LOW));
    assertEquals(6, memory.learnedPeak(Reference.ROUTINE, Direction.LOW));
    assertTrue(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.LOW, 9), MARGIN), "the same departure");
    assertTrue(memory.knownBenign(departure(Reason.ERROR_RUN, Direction.LOW, 9), MARGIN),
        "the same kind: a departure from the forecast, whether one error or a run of them decided it");
    assertTrue(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.LOW, 12.5), MARGIN), "within the margin");
    assertFalse(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.LOW, 12.6), MARGIN), "bigger");
    assertFalse(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.HIGH, 9), MARGIN), "the other direction");
    assertFalse(memory.knownBenign(departure(Reason.LEVEL, Direction.LOW, 2), MARGIN), "another kind: from the history");
    assertTrue(memory.knownBenign(departure(Reason.ROUTINE, Direction.LOW, 7), MARGIN));
  }

  @Test
  void anAnomalyLabelForgetsWhatWouldHaveCoveredAFlaggedReadingInItsSpan() {
    final FeedbackMemory memory = new FeedbackMemory();
    memory.remember(100, departure(Reason.SUDDEN_ERROR, Direction.LOW, 10));
    memory.remember(110, departure(Reason.ROUTINE, Direction.HIGH, 4));
    memory.learnNormal(100, 110);
    memory.remember(500, departure(Reason.SUDDEN_ERROR, Direction.LOW, 9)); // suppressed as known, but it was a fault
    memory.remember(510, departure(Reason.ROUTINE, Direction.HIGH, 40)); // alerted anyway: not covered
    assertEquals(1, memory.forget(500, 510, MARGIN));
    assertFalse(memory.knownBenign(departure(Reason.SUDDEN_ERROR, Direction.LOW, 9), MARGIN));
    assertTrue(memory.knownBenign(departure(Reason.ROUTINE, Direction.HIGH, 4), MARGIN), "the other pattern stays");
  }

  @Test
  void itRemembersTheLastSixteenFlaggedReadings() {
    final FeedbackMemory memory = new FeedbackMemory();
    for (int k = 0; k < FeedbackMemory.RECENT + 4; k++) memory.remember(k, departure(Reason.LEVEL, Direction.HIGH, k + 1));
    assertEquals(FeedbackMemory.RECENT, memory.learnNormal(0, 1000), "the oldest four are gone");
    assertEquals(FeedbackMemory.RECENT + 4, memory.learnedPeak(Reference.HISTORY, Direction.HIGH));
    assertEquals(0, new FeedbackMemory().learnNormal(0, 3), "nothing to learn from");
    assertTrue(memory.flaggedSince(FeedbackMemory.RECENT + 3));
    assertFalse(memory.flaggedSince(FeedbackMemory.RECENT + 4));
  }

  @Test
  void everyReasonOfTheDetectorHasAStoredCodeAndAKind() {
    final FeedbackMemory memory = new FeedbackMemory();
    for (Reason reason : Reason.values()) {
      for (Direction direction : Direction.values()) memory.remember(1, departure(reason, direction, 1));
    }
    memory.learnNormal(0, 1);
    for (Reason reason : Reason.values()) {
      for (Direction direction : Direction.values()) {
        assertEquals(1, memory.learnedPeak(Reference.of(reason), direction), reason + " " + direction);
      }
    }
  }

  /** Format 1, as this build writes it: a later format must still read these bytes. */
  @Test
  void formatOneReadsBackAsWritten() {
    final FeedbackMemory memory = new FeedbackMemory();
    memory.remember(1_767_225_600_000L, departure(Reason.SUDDEN_ERROR, Direction.LOW, 8.5));
    memory.remember(1_767_225_660_000L, departure(Reason.LASTING_DEPARTURE, Direction.HIGH, 2.25));
    memory.learnNormal(1_767_225_600_000L, 1_767_225_600_000L);
    final String formatOne = "01" + "02"
        + "0000019b76daa800" + "01" + "41080000"   // 2026-01-01T00:00Z, SUDDEN_ERROR low, 8.5
        + "0000019b76db9260" + "08" + "40100000"   // a minute later, LASTING_DEPARTURE high, 2.25
        + "01" + "01" + "41080000";                // learned: low departures from the forecast up to 8.5
    assertEquals(formatOne, HexFormat.of().formatHex(memory.encode()));
    final FeedbackMemory read = FeedbackMemory.decode(HexFormat.of().parseHex(formatOne));
    assertArrayEquals(memory.encode(), read.encode());
    assertEquals(8.5, read.learnedPeak(Reference.FORECAST, Direction.LOW));
    assertTrue(read.flaggedSince(1_767_225_660_000L));
  }

  @Test
  void unreadableBytesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> FeedbackMemory.decode(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> FeedbackMemory.decode(new byte[] {2, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> FeedbackMemory.decode(new byte[] {1, 1, 0}), "truncated");
    assertThrows(IllegalArgumentException.class, () -> FeedbackMemory.decode(new byte[] {1, 0, 1, 99, 0, 0, 0, 0}),
        "an unknown pattern");
    assertThrows(IllegalArgumentException.class, () -> FeedbackMemory.decode(new byte[] {1, 0, 0, 7}), "left over");
  }
}
