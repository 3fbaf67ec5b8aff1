package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.Label;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackJsonTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final long FIVE = Timestamps.parse("2026-01-01T05:00:00Z");
  private static final long SIX = Timestamps.parse("2026-01-01T06:00:00Z");

  private static FeedbackJson.SensorFeedback parse(String key, String json, Long givenMillis) throws BadReadingException {
    return FeedbackJson.parse(key, json.getBytes(StandardCharsets.UTF_8), givenMillis, MINUTE);
  }

  @Test
  void aLabelTakesEffectAtTheLaterOfTheEndOfItsSpanAndWhenItWasGivenPlusTheDelay() throws BadReadingException {
    final String normal = "{\"sensorId\":\"pump-7\",\"from\":\"2026-01-01T05:00:00Z\",\"to\":\"2026-01-01T06:00:00Z\","
        + "\"label\":\"normal\"}";
    final long givenAtEight = Timestamps.parse("2026-01-01T08:00:00Z");
    final FeedbackJson.SensorFeedback labelled = parse("pump-7", normal, givenAtEight);
    assertEquals("pump-7", labelled.sensorId());
    assertEquals(new Feedback(Label.NORMAL, FIVE, SIX, givenAtEight + 60_000), labelled.feedback());
    // Given before its span ended (a span still going on): it waits for the end of the span.
    assertEquals(SIX, parse(null, normal, FIVE).feedback().effectiveMillis());
    // "at" says when it was given, overriding the record's time; epoch ms work as well as ISO-8601.
    final FeedbackJson.SensorFeedback at = parse("", "{\"sensorId\":\"pump-7\",\"from\":" + FIVE + ",\"to\":" + SIX
        + ",\"label\":\"anomaly\",\"at\":\"2026-01-01T07:00:00Z\",\"note\":{\"by\":\"ops\"}}", givenAtEight);
    assertEquals(new Feedback(Label.ANOMALY, FIVE, SIX, Timestamps.parse("2026-01-01T07:01:00Z")), at.feedback());
    // In a file of labels there is no record time: without "at", a label counts as given at the end of its span.
    assertEquals(SIX + 60_000, parse(null, normal, null).feedback().effectiveMillis());
  }

  @Test
  void whatIsNotALabelIsRefusedWithTheReason() {
    final List<List<String>> cases = List.of(
        List.of("not json", "not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
        List.of("[1]", "not a JSON object"),
        List.of("{\"from\":1,\"to\":2,\"label\":\"normal\"}", "no 'sensorId'"),
        List.of("{\"sensorId\":\"pump-8\",\"from\":1,\"to\":2,\"label\":\"normal\"}", "record key 'pump-7' differs from sensorId 'pump-8'"),
        List.of("{\"sensorId\":\"pump-7\",\"to\":2,\"label\":\"normal\"}", "no 'from'"),
        List.of("{\"sensorId\":\"pump-7\",\"from\":3,\"to\":2,\"label\":\"normal\"}", "'to' is before 'from'"),
        List.of("{\"sensorId\":\"pump-7\",\"from\":1,\"to\":2,\"label\":\"fine\"}", "'label' is neither \"normal\" nor \"anomaly\""),
        List.of("{\"sensorId\":\"pump-7\",\"from\":1,\"to\":2}", "no 'label'"),
        List.of("{\"sensorId\":\"pump-7\",\"from\":\"soon\",\"to\":2,\"label\":\"normal\"}",
            "'from': not a timestamp (ISO-8601 or epoch milliseconds): 'soon'"),
        List.of("{\"sensorId\":\"pump-7\",\"from\":1,\"to\":2,\"label\":\"normal\"} {}", "not JSON: Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): "
            + "not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"));
    for (List<String> c : cases) {
      final BadReadingException e = assertThrows(BadReadingException.class, () -> parse("pump-7", c.get(0), 0L), c.get(0));
      assertEquals(c.get(1), e.getMessage(), c.get(0));
    }
    assertThrows(BadReadingException.class, () -> FeedbackJson.parse("pump-7", null, 0L, MINUTE));
  }

  @Test
  void pendingLabelsReadBackAsWritten() {
    final List<Feedback> labels = List.of(new Feedback(Label.NORMAL, FIVE, SIX, SIX + 1),
        new Feedback(Label.ANOMALY, 1, 2, 3));
    assertEquals(labels, PendingFeedback.decode(PendingFeedback.encode(labels)));
    assertEquals(List.of(), PendingFeedback.decode(PendingFeedback.encode(List.of())));
    assertThrows(IllegalArgumentException.class, () -> PendingFeedback.decode(new byte[] {1, 0, 0, 0, 1, 0}));
    assertThrows(IllegalArgumentException.class, () -> PendingFeedback.decode(new byte[] {2, 0, 0, 0, 0}));
  }
}
