package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Models;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scorer as the replay command drives it: with each record's own Kafka time. */
class ReadingScorerTest {

  private static final long RECORD_TIME = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long DAY = 86_400_000L;

  private final Map<String, byte[]> states = new HashMap<>();
  private final ReadingScorer scorer = new ReadingScorer(
      new ActiveModels(Models.loadDefault(), StreamSettings.DEFAULT_MODEL_NAME, ModelRoutes.NONE,
          StreamSettings.defaults().detector(), ScoringObserver.NONE),
      StreamSettings.defaults(), ScoringObserver.NONE, states::get, states::put);

  private static byte[] reading(long timestamp) {
    return ("{\"sensorId\":\"pump-7\",\"timestamp\":\"" + Timestamps.format(timestamp) + "\",\"value\":1.5}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReadingMoreThanTheToleranceAheadOfItsRecordIsRefusedAndLeavesNoState() {
    final Verdict verdict = scorer.score("pump-7", reading(RECORD_TIME + DAY + 1), RECORD_TIME);
    assertFalse(verdict.isScored());
    assertEquals(DeadLetters.FUTURE_TIMESTAMP, verdict.reason());
    assertNull(states.get("pump-7"));
  }

  @Test
  void aReadingUpToTheToleranceAheadOrOfARecordWithoutATimeIsScored() {
    assertTrue(scorer.score("pump-7", reading(RECORD_TIME + DAY), RECORD_TIME).isScored());
    assertTrue(scorer.score("pump-7", reading(RECORD_TIME + 400 * DAY), -1).isScored());
  }
}
