package io.streamlstm.streams;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

  private final AtomicLong nanos = new AtomicLong();
  private final RecordingObserver observer = new RecordingObserver();
  private final StreamThreadFailures failures = new StreamThreadFailures(observer, nanos::get);

  /** Without a stack trace: the handler logs each one, and the test runner's frames say nothing. */
  private static Throwable failure(String message) {
    Throwable failure = new IllegalStateException(message);
    failure.setStackTrace(new StackTraceElement[0]);
    return failure;
  }

  private void minutesLater(double minutes) {
    nanos.addAndGet((long) (minutes * 60e9));
  }

  @Test
  void aFailureNowAndThenReplacesTheThread() {
    for (int n = 0; n < 3 * StreamThreadFailures.MAX_REPLACEMENTS; n++) {
      assertEquals(REPLACE_THREAD, failures.handle(failure("passing")), "failure " + n);
      minutesLater(StreamThreadFailures.WINDOW.toMinutes() / (double) StreamThreadFailures.MAX_REPLACEMENTS);
    }
  }

  @Test
  void failuresThatKeepComingShutTheClientDown() {
    for (int n = 0; n < StreamThreadFailures.MAX_REPLACEMENTS; n++) {
      assertEquals(REPLACE_THREAD, failures.handle(failure("again")));
      minutesLater(1);
    }
    assertEquals(SHUTDOWN_CLIENT, failures.handle(failure("and again")));
    assertEquals(List.of(true, true, true, true, true, false), observer.threadFailures);
  }

  @Test
  void theWindowForgetsOldFailures() {
    for (int n = 0; n < StreamThreadFailures.MAX_REPLACEMENTS; n++) failures.handle(failure("again"));
    minutesLater(StreamThreadFailures.WINDOW.toMinutes() - 0.5);
    assertEquals(SHUTDOWN_CLIENT, failures.handle(failure("within the window")));
    minutesLater(0.5);
    assertEquals(REPLACE_THREAD, failures.handle(failure("the five have left the window")));
  }

  @Test
  void theGlobalThreadIsNotReplaced() throws InterruptedException {
    AtomicReference<StreamThreadExceptionResponse> response = new AtomicReference<>();
    Thread global = new Thread(() -> response.set(failures.handle(failure("model topic"))),
        "app-1234-GlobalStreamThread");
    global.start();
    global.join();
    assertEquals(SHUTDOWN_CLIENT, response.get());
    assertEquals(List.of(false), observer.threadFailures);
    assertEquals(REPLACE_THREAD, failures.handle(failure("a stream thread still is")));
  }
}
