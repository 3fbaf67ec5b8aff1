package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlstm.detect.Explanation;
import io.streamlstm.detect.Reading;
import io.streamlstm.detect.Score;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpisodeTrackerTest {

  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final String[] ONE = {"value"};

  private final Map<String, byte[]> open = new HashMap<>();
  private final EpisodeTracker tracker = new EpisodeTracker(new EpisodeSettings(3, 4), open::get, open::put);

  /**
   * A score at minute {@code t}; flagged when {@code surprise} is above 0, with likelihood 1 − 10^−surprise,
   * decided by the level from a surprise of 5 on, else by a sudden error, {@code 2 × surprise} spreads off.
   */
  private static Score score(int t, double surprise) {
    final double[] one = {0};
    final Explanation why = surprise <= 0 ? new Explanation(Explanation.Reason.NONE, Reading.VALUE, 0, 20, 19, 21)
        : new Explanation(surprise >= 5 ? Explanation.Reason.LEVEL : Explanation.Reason.SUDDEN_ERROR, Reading.VALUE,
            2 * surprise, 20 + t, 19 + t, 21 + t);
    return new Score(START + 60_000L * t, ONE, one, one, one, one, one, new double[] {1},
        surprise > 0 ? 1 - Math.pow(10, -surprise) : 0.5, surprise, surprise > 0, false, "test", why);
  }

  /** The events of {@code surprises} fed in order, one a minute, as "minute kind" strings. */
  private List<String> feed(String sensorId, double... surprises) {
    final List<String> events = new ArrayList<>();
    for (int t = 0; t < surprises.length; t++) {
      final EpisodeEvent event = tracker.track(sensorId, score(t, surprises[t]));
      if (event != null) events.add(t + " " + event.kind().wireName());
    }
    return events;
  }

  @Test
  void aRunOfFlaggedReadingsIsOneEpisodeThatReportsNewPeaksAtMostEveryNReadingsAndClosesAfterTheNormalSpan() {
    // Flagged at 1..8 with peaks at 2, 3 and 7; a gap of 3 normal readings (9..11) is less than the 4 that close it.
    final List<String> events = feed("pump-7", 0, 3, 4, 5, 4, 4, 4, 6, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0);
    // The peak at 2 and 3 waits for 3 readings since "opened" (at 4); the one at 7 for 3 since then (7);
    // after the last flagged reading at 12, the fourth normal one (16) closes it.
    assertEquals(List.of("1 opened", "4 updated", "7 updated", "16 closed"), events);
    assertNull(open.get("pump-7"), "a closed episode leaves the store");
  }

  @Test
  void eventsCarryOneIdFromTheSensorAndStartWithTheSpanPeakAndCount() throws IOException {
    final List<JsonNode> events = new ArrayList<>();
    final double[] surprises = {0, 3, 5, 0, 0, 0, 0, 0, 3, 0};
    for (int t = 0; t < surprises.length; t++) {
      final EpisodeEvent event = tracker.track("pump-7", score(t, surprises[t]));
      if (event != null) events.add(new ObjectMapper().readTree(event.toJson()));
    }
    // opened at 1; the peak at 2 reported at 4, 3 readings after "opened"; closed at 6; a new one at 8.
    assertEquals(List.of("opened", "updated", "closed", "opened"), events.stream().map(e -> e.get("event").asText()).toList());
    final JsonNode closed = events.get(2);
    assertEquals("closed", closed.get("event").asText());
    assertEquals("pump-7@2026-01-01T00:01:00Z", closed.get("episodeId").asText());
    assertEquals(events.get(0).get("episodeId"), closed.get("episodeId"), "one id for all events of an episode");
    assertEquals("pump-7", closed.get("sensorId").asText());
    assertEquals("2026-01-01T00:01:00Z", closed.get("start").asText());
    assertEquals("2026-01-01T00:02:00Z", closed.get("end").asText(), "the last flagged reading");
    assertEquals(1 - 1e-5, closed.get("peakLikelihood").asDouble());
    assertEquals(5.0, closed.get("peakSurprise").asDouble());
    assertEquals(2, closed.get("readingsFlagged").asInt());
    // What decided the peak, and the band it was judged against.
    assertEquals("LEVEL", closed.get("reason").asText());
    assertEquals(10.0, closed.get("deviation").asDouble());
    assertEquals(22.0, closed.get("referenceExpected").asDouble());
    assertEquals(21.0, closed.get("referenceLower").asDouble());
    assertEquals(23.0, closed.get("referenceUpper").asDouble());
    assertFalse(closed.has("reasonChannel"), "a one-channel sensor's reason needs no channel");
    assertEquals("SUDDEN_ERROR", events.get(0).get("reason").asText(), "opened: its first reading's reason");
    assertEquals("pump-7@2026-01-01T00:08:00Z", events.get(3).get("episodeId").asText(), "a new incident, a new id");
  }

  @Test
  void sensorsHaveTheirOwnEpisodes() {
    assertEquals(List.of("0 opened"), feed("a", 3));
    assertEquals(List.of("0 opened"), feed("b", 3));
    assertEquals(2, open.size());
  }

  @Test
  void anEpisodeStateReadsBackAsItWasWrittenAndAnotherFormatIsRefused() {
    final EpisodeState state = new EpisodeState(START, START + 1, 0.999, 3.25,
        new Explanation(Explanation.Reason.ROUTINE, "temp", -3.5, 20, 18, 22), 7, 2, true, 1);
    assertEquals(state, EpisodeState.decode(state.encode()));
    final byte[] other = state.encode();
    other[0] = 2;
    assertThrows(IllegalArgumentException.class, () -> EpisodeState.decode(other));
    assertThrows(IllegalArgumentException.class, () -> EpisodeState.decode(Arrays.copyOf(state.encode(), 30)));
    assertThrows(IllegalArgumentException.class, () -> EpisodeState.decode(new byte[] {EpisodeState.FORMAT}));
  }

  @Test
  void anUnreadableStoredEpisodeIsDroppedAndTheNextFlaggedReadingOpensANewOne() {
    open.put("pump-7", new byte[] {9, 9});
    assertNull(tracker.track("pump-7", score(0, 0)));
    assertNull(open.get("pump-7"));
    assertTrue(feed("pump-7", 3).contains("0 opened"));
  }
}
