package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.Models;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped default model is exactly what its recorded command produces: running that command again
 * gives the same bytes, so the model can be rebuilt and audited from source.
 *
 * <p>It retrains the whole model, so the default's training budget (series × length × epochs run, now
 * 32 × 2000 × 16) is what this test costs: 12 s on two cores at load 7, up to several times that on a
 * saturated machine. Keep the budget there.
 */
class DefaultModelTest {

  @Test
  void recordedCommandRebuildsTheShippedFileByteForByte(@TempDir Path dir) throws Exception {
    byte[] shipped;
    try (InputStream in = Models.class.getResourceAsStream(Models.DEFAULT_RESOURCE)) {
      shipped = in.readAllBytes();
    }
    Model model = Models.loadDefault();
    String command = model.metadata().get("command");
    assertTrue(command.startsWith("streamlstm train --generated "), "the default trains on generated series: " + command);

    Path rebuilt = dir.resolve("default-model.lstm");
    TrainCommandTest.Run run = TrainCommandTest.run(TrainCommandTest.argumentsOf(command, rebuilt));
    assertEquals(0, run.code(), run.err());
    assertArrayEquals(shipped, Files.readAllBytes(rebuilt), "rebuilt with: " + command);
  }
}
