package io.streamlstm.detect.nab;

import java.util.List;

/**
 * Detection counted per labelled window, as the telemetry corpus's paper counts it: an alarm, or a run of
 * alarms on consecutive rows, is one predicted event; a window is found when an event overlaps it; an event
 * that overlaps no window is false. Only the rows NAB scores (after each file's probation) are counted, so
 * the figures describe the same rows as the NAB score beside them.
 *
 * @param windows labelled windows in all files
 * @param found windows overlapped by at least one event
 * @param events predicted events
 * @param falseEvents events that overlap no window
 */
public record WindowEvents(int windows, int found, int events, int falseEvents) {

  /** The counts over {@code files} at alarm level {@code threshold} (a row alarms when its score is at or above it). */
  public static WindowEvents count(List<NabFile> files, double threshold) {
    return count(files, new int[files.size()], threshold);
  }

  /**
   * The counts over {@code files} from row {@code firstRows[k]} of the k-th file on (or from its probation's end,
   * if later), of the windows that end there or later. The telemetry's paper counts only each channel's test
   * recording, its detector having learned from the nominal recording before it; see {@link #firstRowAfterGap}.
   */
  public static WindowEvents count(List<NabFile> files, int[] firstRows, double threshold) {
    int windows = 0, found = 0, events = 0, falseEvents = 0;
    for (int k = 0; k < files.size(); k++) {
      NabFile f = files.get(k);
      boolean[] windowFound = new boolean[f.windows().length];
      int i = Math.max(f.probation(), firstRows[k]);
      while (i < f.length()) {
        if (f.scores()[i] < threshold) {
          i++;
          continue;
        }
        int start = i;
        while (i < f.length() && f.scores()[i] >= threshold) i++;
        events++;
        boolean overlaps = false;
        for (int w = 0; w < f.windows().length; w++) {
          if (start <= f.windows()[w][1] && i - 1 >= f.windows()[w][0]) {
            windowFound[w] = true;
            overlaps = true;
          }
        }
        if (!overlaps) falseEvents++;
      }
      for (int w = 0; w < f.windows().length; w++) {
        // A window over before the first counted row is not the counted part's to find.
        if (f.windows()[w][1] < firstRows[k]) continue;
        windows++;
        if (windowFound[w]) found++;
      }
    }
    return new WindowEvents(windows, found, events, falseEvents);
  }

  /**
   * The first row after the first gap of at least {@code minGapMillis} between consecutive timestamps, or -1 when
   * there is none: where the telemetry's test recording starts, a day after its nominal one.
   */
  public static int firstRowAfterGap(long[] timestamps, long minGapMillis) {
    for (int t = 1; t < timestamps.length; t++) {
      if (timestamps[t] - timestamps[t - 1] >= minGapMillis) return t;
    }
    return -1;
  }

  public double recall() {
    return windows == 0 ? 0 : (double) found / windows;
  }

  /** The share of events that overlap a window; 0 with no event. */
  public double precision() {
    return events == 0 ? 0 : (double) (events - falseEvents) / events;
  }

  /** F_β = (1 + β²) P R / (β² P + R); β = 0.5 weighs precision twice as much as recall. */
  public double fScore(double beta) {
    double p = precision(), r = recall(), b2 = beta * beta;
    return p + r == 0 ? 0 : (1 + b2) * p * r / (b2 * p + r);
  }
}
