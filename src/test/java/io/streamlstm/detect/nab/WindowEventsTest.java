package io.streamlstm.detect.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowEventsTest {

  /** 1000 rows (probation 150), scores 0 but where {@code alarms} pairs [from, to] say 1. */
  private static NabFile file(int[][] windows, int... alarms) {
    double[] scores = new double[1000];
    for (int k = 0; k < alarms.length; k += 2) Arrays.fill(scores, alarms[k], alarms[k + 1] + 1, 1.0);
    return new NabFile("f.csv", scores, windows);
  }

  @Test
  void aRunOfAlarmsIsOneEventAndFindsEveryWindowItOverlaps() {
    int[][] windows = {{300, 350}, {600, 650}};
    // One run across the first window's start, one alarm outside, one run before probation (not counted).
    NabFile f = file(windows, 290, 310, 500, 500, 10, 20);
    WindowEvents counts = WindowEvents.count(List.of(f), 0.5);
    assertEquals(new WindowEvents(2, 1, 2, 1), counts);
    assertEquals(0.5, counts.recall());
    assertEquals(0.5, counts.precision());
    assertEquals(0.5, counts.fScore(0.5), 1e-12);
  }

  @Test
  void fromAFileRowOnlyLaterEventsAndWindowsCount() {
    int[][] windows = {{300, 350}, {600, 650}};
    NabFile f = file(windows, 290, 310, 500, 500, 620, 630);
    // From row 400 (a test recording's start): the run at the first window and its window are not counted.
    assertEquals(new WindowEvents(1, 1, 2, 1), WindowEvents.count(List.of(f), new int[] {400}, 0.5));
    // Before the probation's end, the probation still rules.
    assertEquals(WindowEvents.count(List.of(f), 0.5), WindowEvents.count(List.of(f), new int[] {-1}, 0.5));
  }

  @Test
  void theTestRecordingStartsAfterTheFirstGapOfADay() {
    long day = 86_400_000L;
    long[] times = {0, 60_000, 120_000, 120_000 + day, 180_000 + day, 180_000 + 3 * day};
    assertEquals(3, WindowEvents.firstRowAfterGap(times, day));
    assertEquals(-1, WindowEvents.firstRowAfterGap(new long[] {0, 60_000, 120_000}, day));
  }

  @Test
  void theHighestScoreCountsWhenWithinAHundredRowsOfTheOnlyWindow() {
    int[][] window = {{500, 520}};
    NabFile near = file(window, 620, 620);
    NabFile far = file(window, 700, 700);
    // Ties go to the earliest row: an early plateau beats a later equal peak.
    NabFile tie = file(window, 200, 200, 510, 510);
    NabFile twoWindows = file(new int[][] {{300, 310}, {500, 520}}, 505, 505);
    assertEquals(new TopScoreLocation(3, 1), TopScoreLocation.count(List.of(near, far, tie, twoWindows)));
  }
}
