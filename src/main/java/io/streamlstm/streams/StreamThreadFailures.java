package io.streamlstm.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's uncaught exception does to the service. Bad records never get here (they go to the
 * dead letters); what does is passing trouble, such as a broker restart that outlasts a client timeout. Kafka
 * Streams' default shuts the whole client down for it, and the service exits. Instead the thread is replaced:
 * its tasks start again from their last commit on a new thread (with exactly-once, nothing the dead thread left
 * uncommitted is seen). A failure that keeps coming back is not passing, and replacing threads forever would
 * hide it: after {@link #MAX_REPLACEMENTS} replacements within {@link #WINDOW} the next failure shuts the client
 * down, {@code /health} fails and the process exits non-zero, for its supervisor to restart or for an operator.
 */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

  public static final int MAX_REPLACEMENTS = 5;
  public static final Duration WINDOW = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);
  /** How Kafka Streams names the thread that reads global stores (here the model topic). */
  private static final String GLOBAL_THREAD_SUFFIX = "-GlobalStreamThread";

  private final ScoringObserver observer;
  private final LongSupplier nanoClock;
  private final Deque<Long> replacedAt = new ArrayDeque<>();

  public StreamThreadFailures(ScoringObserver observer) {
    this(observer, System::nanoTime);
  }

  StreamThreadFailures(ScoringObserver observer, LongSupplier nanoClock) {
    this.observer = observer;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
    // Called on the failing thread. Kafka Streams cannot replace the global thread and would shut down anyway:
    // said so here, so the log and the count tell what happened.
    if (Thread.currentThread().getName().endsWith(GLOBAL_THREAD_SUFFIX)) {
      LOG.error("The global stream thread (the model topic) failed and cannot be replaced; shutting the client down",
          exception);
      observer.streamThreadFailed(false);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    final long now = nanoClock.getAsLong();
    while (!replacedAt.isEmpty() && now - replacedAt.peekFirst() >= WINDOW.toNanos()) replacedAt.removeFirst();
    if (replacedAt.size() >= MAX_REPLACEMENTS) {
      LOG.error("Stream threads failed {} times within {}; shutting the client down instead of replacing another",
          MAX_REPLACEMENTS + 1, WINDOW, exception);
      observer.streamThreadFailed(false);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    replacedAt.addLast(now);
    LOG.error("A stream thread failed; replacing it, its tasks resume from their last commit", exception);
    observer.streamThreadFailed(true);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
