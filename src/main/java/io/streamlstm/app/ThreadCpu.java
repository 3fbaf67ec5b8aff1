package io.streamlstm.app;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a bench run's CPU time went, by group of this JVM's threads: the application's stream threads, its
 * other threads (the clients' network threads, the state updater), every other Java thread (in the bench, the
 * broker's), and what no Java thread accounts for (garbage collection, the JIT, RocksDB's own flush and
 * compaction threads). The bench's broker shares the process, so the whole JVM's CPU alone does not say
 * whether a setting saved the stream thread's work or the broker's.
 */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String applicationId;
  private final Map<Long, Long> startNanos = new HashMap<>();
  private final long processStartNanos;

  private ThreadCpu(String applicationId) {
    this.applicationId = applicationId;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null) startNanos.put(info.getThreadId(), Math.max(0, THREADS.getThreadCpuTime(info.getThreadId())));
    }
    processStartNanos = processCpuNanos();
  }

  /** Starts counting now; threads started later count from zero. */
  static ThreadCpu start(String applicationId) {
    return new ThreadCpu(applicationId);
  }

  static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time in ns by group; {@code application} is the stream threads' and their clients' together. */
  record Split(long stream, long clients, long otherJava, long outsideJava) {

    long application() {
      return stream + clients;
    }

    long total() {
      return stream + clients + otherJava + outsideJava;
    }

    /** In µs per record for {@code records}. */
    String perRecord(long records) {
      return String.format("stream threads %.1f, their clients %.1f, other Java threads (broker) %.1f, "
              + "GC/JIT/RocksDB background %.1f µs", stream / 1e3 / records, clients / 1e3 / records,
          otherJava / 1e3 / records, outsideJava / 1e3 / records);
    }
  }

  /** The CPU time since {@link #start}, by group (call before the application's threads end). */
  Split since() {
    long stream = 0;
    long clients = 0;
    long otherJava = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) continue;
      final long nanos = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()))
          - startNanos.getOrDefault(info.getThreadId(), 0L);
      final String name = info.getThreadName();
      if (!name.contains(applicationId + "-")) {
        otherJava += nanos;
      } else if (name.matches(".*-StreamThread-\\d+$")) {
        stream += nanos;
      } else {
        clients += nanos;
      }
    }
    return new Split(stream, clients, otherJava, processCpuNanos() - processStartNanos - stream - clients - otherJava);
  }
}
