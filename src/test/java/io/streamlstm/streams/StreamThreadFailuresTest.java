package io.streamlstm.streams;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

  private final AtomicLong nanos = new AtomicLong();
  private final RecordingObserver observer = new RecordingObserver();
  private final StreamThreadFailures failures = new StreamThreadFailures(observer, nanos::get);

  private void minutesLater(double minutes) {
    nanos.addAndGet((long) (minutes * 60e9));
  }

  @Test
  void aFailureNowAndThenReplacesTheThread() {
    for (int n = 0; n < 3 * StreamThreadFailures.MAX_REPLACEMENTS; n++) {
      assertEquals(REPLACE_THREAD, failures.handle(new IllegalStateException("passing")), "failure " + n);
      minutesLater(StreamThreadFailures.WINDOW.toMinutes() / (double) StreamThreadFailures.MAX_REPLACEMENTS);
    }
  }

  @Test
  void failuresThatKeepComingShutTheClientDown() {
    for (int n = 0; n < StreamThreadFailures.MAX_REPLACEMENTS; n++) {
      assertEquals(REPLACE_THREAD, failures.handle(new IllegalStateException("again")));
      minutesLater(1);
    }
    assertEquals(SHUTDOWN_CLIENT, failures.handle(new IllegalStateException("and again")));
    assertEquals(List.of(true, true, true, true, true, false), observer.threadFailures);
  }

  @Test
  void theWindowForgetsOldFailures() {
    for (int n = 0; n < StreamThreadFailures.MAX_REPLACEMENTS; n++) failures.handle(new IllegalStateException());
    minutesLater(StreamThreadFailures.WINDOW.toMinutes() - 0.5);
    assertEquals(SHUTDOWN_CLIENT, failures.handle(new IllegalStateException("within the window")));
    minutesLater(0.5);
    assertEquals(REPLACE_THREAD, failures.handle(new IllegalStateException("the five have left the window")));
  }
}
