package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code model publish} refuses a bad file before it talks to Kafka (no broker here: port 9 is never one). */
class ModelCommandTest {

  @TempDir Path dir;

  private String publish(Path file) {
    final StringWriter err = new StringWriter();
    final CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    final int exit = cli.execute("model", "publish", file.toString(), "--bootstrap-server", "127.0.0.1:9");
    assertEquals(1, exit, "exit code; stderr: " + err);
    return err.toString();
  }

  @Test
  void aCorruptModelFileIsRefusedWithItsReason() throws IOException {
    final byte[] good = ModelFile.encode(Models.loadDefault().network(), Models.loadDefault().normalisation(), Map.of());
    final byte[] corrupt = good.clone();
    corrupt[corrupt.length / 2] ^= 1;
    final Path file = Files.write(dir.resolve("corrupt.lstm"), corrupt);
    final String err = publish(file);
    assertTrue(err.contains("checksum mismatch"), err);
  }

  @Test
  void aMissingFileIsNamed() {
    final String err = publish(dir.resolve("nowhere.lstm"));
    assertTrue(err.contains("nowhere.lstm"), err);
  }
}
