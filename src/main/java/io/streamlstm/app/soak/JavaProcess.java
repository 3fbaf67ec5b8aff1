package io.streamlstm.app.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of this project run as its own JVM on this JVM's classpath, so the crash soak and the tests
 * can kill it hard ({@link #kill()} is SIGKILL: no shutdown hook, no commit, no flush). Output lines are
 * kept, for asserts and for saying why a child failed.
 */
public final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  // A parent stopped by Ctrl-C or a failed test leaves no child JVM behind holding ports and state.
  private final Thread killOnExit;

  private JavaProcess(Process process) {
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killOnExit);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } catch (IOException e) {
        // The process was killed mid-line: what was read stays readable.
      }
    }, "output-of-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code java <jvmOptions> -cp <this JVM's classpath> <mainClass> <args>}. */
  public static JavaProcess start(Class<?> mainClass, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return start(command);
  }

  /** The java launcher of this JVM. */
  public static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static JavaProcess start(List<String> command) {
    try {
      return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits for an output line matching {@code wanted} and returns it. */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) if (wanted.test(line)) return line;
      if (!process.isAlive()) break;
      Thread.sleep(50);
    }
    for (String line : lines) if (wanted.test(line)) return line;
    throw new AssertionError("no matching line within " + timeout + " (alive=" + process.isAlive()
        + "); output:\n" + String.join("\n", lines));
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; output:\n" + String.join("\n", lines));
    }
    return process.exitValue();
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    forgetOnExit();
  }

  /** SIGTERM, then SIGKILL if it does not stop in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    forgetOnExit();
  }

  private void forgetOnExit() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, on a process already gone
    }
  }
}
