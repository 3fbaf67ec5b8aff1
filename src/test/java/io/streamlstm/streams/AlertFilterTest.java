package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Explanation.Reason;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.SensorState;
import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.Label;
import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.lstm.Models;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AlertFilterTest {

  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final String[] ONE = {Reading.VALUE};
  private static final FeedbackSettings SETTINGS = new FeedbackSettings("feedback", Duration.ofMinutes(1), 0.25);
  private static final Detector DETECTOR = new Detector(Models.loadDefault(), DetectorConfig.defaults());

  /** The filter over maps, counting the store reads it makes. */
  private static final class Filter {
    final Map<String, byte[]> memories = new HashMap<>();
    final Map<String, byte[]> pending = new HashMap<>();
    final Map<String, byte[]> states = new HashMap<>();
    final RecordingObserver observer = new RecordingObserver();
    int reads;
    final AlertFilter filter;

    Filter(RuleSet rules) {
      filter = new AlertFilter(() -> rules, SETTINGS, observer, counted(memories::get), memories::put,
          counted(pending::get), pending::put, counted(states::get));
    }

    private Function<String, byte[]> counted(Function<String, byte[]> load) {
      return key -> {
        reads++;
        return load.apply(key);
      };
    }

    /** Judges a reading of {@code sensorId} at minute {@code t}, as the processor would after scoring it. */
    String judge(String sensorId, int t, double value, Reason reason) {
      final Score score = score(t, value, reason);
      states.put(sensorId, lastReadingAt(score.timestampMillis()));
      return filter.judge(sensorId, score);
    }
  }

  /** A score at minute t: flagged unless {@code reason} is NONE; the reference's expected value is 20. */
  private static Score score(int t, double value, Reason reason) {
    final boolean flagged = reason != Reason.NONE;
    final double[] v = {value};
    return new Score(minute(t), ONE, v, new double[] {20}, new double[] {19}, new double[] {21}, new double[] {value - 20},
        new double[] {1}, flagged ? 0.999 : 0.5, flagged ? 3 : 0.3, flagged, false, "test",
        new Explanation(reason, Reading.VALUE, flagged ? (value - 20) / 0.5 : 0, 20, 19, 21));
  }

  private static long minute(int t) {
    return START + 60_000L * t;
  }

  /** A sensor state whose last reading is at {@code millis}, as the scorer would have stored it. */
  private static byte[] lastReadingAt(long millis) {
    final SensorState state = DETECTOR.newState();
    DETECTOR.process(state, Reading.single(millis, 20));
    return state.encode();
  }

  @Test
  void aRuleKeepsAFlaggedReadingFromAlertingAndSaysWhich() {
    final Filter f = new Filter(RulesParser.parse("pump-* min-departure 2.5\npump-* only high"));
    assertNull(f.judge("pump-7", 1, 21, Reason.NONE), "an unflagged reading is never marked");
    assertEquals("rule line 1: pump-* min-departure 2.5", f.judge("pump-7", 2, 22, Reason.SUDDEN_ERROR));
    assertEquals("rule line 2: pump-* only high", f.judge("pump-7", 3, 10, Reason.LEVEL));
    assertNull(f.judge("pump-7", 4, 30, Reason.SUDDEN_ERROR), "large and high: it alerts");
    assertNull(f.judge("tank-1", 5, 22, Reason.SUDDEN_ERROR), "another sensor");
    assertEquals(List.of("min_departure", "direction"), f.observer.suppressed);
  }

  /**
   * A dip the sensor makes every few hours alarms; labelled normal, the same dip no longer alarms from the first
   * reading at or after its effective time on, while a deeper dip, a rise and another kind of departure still do.
   */
  @Test
  void aNormalLabelTakesEffectAtTheFirstReadingStampedAtOrAfterItsEffectiveTime() {
    final Filter f = new Filter(RuleSet.NONE);
    assertNull(f.judge("pump-7", 100, 12, Reason.SUDDEN_ERROR));
    assertNull(f.judge("pump-7", 400, 11, Reason.SUDDEN_ERROR));
    // Labelled at minute 500: the dips of minutes 100..400 were normal. It takes effect at 501 (a minute's delay).
    f.filter.received("pump-7", new Feedback(Label.NORMAL, minute(90), minute(410), minute(501)));
    assertEquals(List.of(), f.observer.feedback, "not late: the sensor's last reading is before 501");
    assertNull(f.judge("pump-7", 500, 11, Reason.SUDDEN_ERROR), "before it takes effect, the dip alarms");
    assertNull(f.judge("pump-7", 501, 20, Reason.NONE));
    assertEquals(List.of("normal applied"), f.observer.feedback);
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 9.000",
        f.judge("pump-7", 800, 11.5, Reason.SUDDEN_ERROR));
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 9.000",
        f.judge("pump-7", 1100, 8.75, Reason.SUDDEN_ERROR), "within the margin of 25 %");
    assertNull(f.judge("pump-7", 1400, 5, Reason.SUDDEN_ERROR), "a deeper dip alarms");
    assertNull(f.judge("pump-7", 1700, 29, Reason.SUDDEN_ERROR), "so does a rise");
    assertNull(f.judge("pump-7", 2000, 12, Reason.LASTING_DEPARTURE), "and another kind of departure");
    assertEquals(List.of("feedback", "feedback"), f.observer.suppressed);
  }

  @Test
  void theMarksDoNotDependOnWhenTheLabelsArrivedBeforeTheyTakeEffect() {
    final List<Feedback> labels = List.of(new Feedback(Label.NORMAL, minute(0), minute(300), minute(350)),
        new Feedback(Label.NORMAL, minute(600), minute(700), minute(900)),
        new Feedback(Label.ANOMALY, minute(1000), minute(1100), minute(1150)));
    final Filter upfront = new Filter(RuleSet.NONE);
    labels.forEach(label -> upfront.filter.received("s", label));
    final Filter asTheyCome = new Filter(RuleSet.NONE);
    final List<String> first = run(upfront, null);
    final List<String> second = run(asTheyCome, t -> {
      // Each arrives a while after its span, before it takes effect; the last one just before.
      if (t == 320) asTheyCome.filter.received("s", labels.get(0));
      if (t == 720) asTheyCome.filter.received("s", labels.get(1));
      if (t == 1149) asTheyCome.filter.received("s", labels.get(2));
    });
    assertEquals(first, second);
    assertTrue(first.stream().filter(mark -> mark != null).count() >= 3, "the labels did suppress: " + first);
    assertEquals(List.of("normal applied", "normal applied", "anomaly applied"), upfront.observer.feedback);
  }

  /** Dips every 100 minutes, flagged, deepening slowly; minute by minute, with {@code arrivals} first. */
  private static List<String> run(Filter f, java.util.function.IntConsumer arrivals) {
    final List<String> marks = new ArrayList<>();
    for (int t = 0; t < 1600; t++) {
      if (arrivals != null) arrivals.accept(t);
      final boolean dip = t % 100 == 50;
      marks.add(f.judge("s", t, dip ? 12 - t / 1000.0 : 20, dip ? Reason.SUDDEN_ERROR : Reason.NONE));
    }
    return marks;
  }

  @Test
  void aLabelThatArrivesAfterAReadingItShouldHaveAppliedToIsCountedLateAndStillApplied() {
    final Filter f = new Filter(RuleSet.NONE);
    f.judge("s", 10, 12, Reason.SUDDEN_ERROR);
    f.judge("s", 30, 20, Reason.NONE);
    f.filter.received("s", new Feedback(Label.NORMAL, minute(0), minute(20), minute(25)));
    assertEquals(List.of("normal late"), f.observer.feedback);
    f.judge("s", 31, 20, Reason.NONE);
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.000", f.judge("s", 40, 12, Reason.SUDDEN_ERROR));
  }

  @Test
  void anAnomalyLabelMakesASuppressedDepartureAlarmAgain() {
    final Filter f = new Filter(RuleSet.NONE);
    f.judge("s", 10, 12, Reason.SUDDEN_ERROR);
    f.filter.received("s", new Feedback(Label.NORMAL, minute(0), minute(20), minute(21)));
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.000", f.judge("s", 30, 12, Reason.SUDDEN_ERROR));
    // That one was a real fault after all.
    f.filter.received("s", new Feedback(Label.ANOMALY, minute(30), minute(30), minute(31)));
    assertNull(f.judge("s", 40, 12, Reason.SUDDEN_ERROR));
  }

  @Test
  void labelsWaitingInTheStoreAreFoundAgainByANewFilterAsAfterARestore() {
    final Filter before = new Filter(RuleSet.NONE);
    before.judge("s", 10, 12, Reason.SUDDEN_ERROR);
    before.filter.received("s", new Feedback(Label.NORMAL, minute(0), minute(20), minute(50)));
    final AlertFilter restored = new AlertFilter(() -> RuleSet.NONE, SETTINGS, before.observer, before.memories::get,
        before.memories::put, before.pending::get, before.pending::put, before.states::get);
    before.pending.forEach(restored::pendingFound);
    assertNull(restored.judge("s", score(49, 12, Reason.SUDDEN_ERROR)));
    assertEquals("feedback: low departure from the forecast (SUDDEN_ERROR), labelled normal up to 8.000",
        restored.judge("s", score(50, 12, Reason.SUDDEN_ERROR)));
    assertNull(before.pending.get("s"), "applied, so no longer waiting");
  }

  /** The hot path: an unflagged reading, or any reading of a sensor with no label waiting, reads no store. */
  @Test
  void anUnflaggedReadingOfASensorWithNoLabelWaitingReadsNoStore() {
    final Filter f = new Filter(RulesParser.parse("* min-departure 1"));
    f.filter.received("other", new Feedback(Label.NORMAL, minute(0), minute(1), minute(1_000_000)));
    f.reads = 0;
    for (int t = 0; t < 1000; t++) f.judge("s", t, 20 + t % 3, Reason.NONE);
    assertEquals(0, f.reads);
    f.judge("s", 1000, 12, Reason.SUDDEN_ERROR);
    assertEquals(1, f.reads, "a flagged reading reads its sensor's feedback memory, once");
  }
}
