package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @Test
  void everyCommandHasHelp() {
    CommandLine cli = Main.commandLine();
    for (String name : cli.getSubcommands().keySet()) {
      StringWriter out = new StringWriter();
      int code = Main.commandLine().setOut(new PrintWriter(out)).execute(name, "--help");
      assertEquals(0, code, name + " --help");
      assertTrue(out.toString().contains("Usage:"), name + " --help prints its usage");
    }
  }

  @Test
  void aFailingCommandSaysWhyInOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
    Path corrupt = Files.write(dir.resolve("bad.lstm"), new byte[] {1, 2, 3});
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setErr(new PrintWriter(err))
        .execute("model", "publish", corrupt.toString(), "--bootstrap-server", "127.0.0.1:1");
    assertTrue(code != 0, "exit code");
    String message = err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertFalse(message.contains("\tat "), message);
  }
}
