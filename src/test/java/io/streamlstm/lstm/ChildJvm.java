package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a fresh JVM on the test class path, with or without the Vector API module: the
 * test JVM itself always has it, so only a child shows what the jar does on a plain JVM.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** What the child printed, trimmed; fails the test when it exits other than 0 or runs over a minute. */
  public static String run(Class<?> main, boolean vectorModule) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (vectorModule) command.add("--add-modules=jdk.incubator.vector");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("child JVM did not finish");
    }
    assertEquals(0, child.exitValue(), "child JVM failed, printed: " + out);
    return out;
  }
}
