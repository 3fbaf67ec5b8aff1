package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

  private static final Map<String, String> METADATA = Map.of("seed", "42", "data", "unit test — ünïcödé", "epochs", "3");

  @Test
  void roundTripIsExact(@TempDir Path dir) throws Exception {
    Network network = BpttTest.randomNetwork(new Architecture(CellType.LSTM, 2, 5, 3), 3);
    Normalisation normalisation = new Normalisation(123.5, 6);
    Path file = dir.resolve("m.lstm");
    Model written = ModelFile.write(file, network, normalisation, METADATA);
    Model read = ModelFile.read(file);

    assertEquals(network.architecture(), read.network().architecture());
    assertArrayEquals(network.parameters(), read.network().parameters());
    assertEquals(normalisation, read.normalisation());
    assertEquals(METADATA, read.metadata());
    assertEquals(written.version(), read.version());
    // the version is the start of the SHA-256 at the file's end
    byte[] bytes = Files.readAllBytes(file);
    String tail = HexFormat.of().formatHex(bytes, bytes.length - 32, bytes.length - 26);
    assertEquals(tail, read.version());
    assertEquals(12, read.version().length());
    // encoding what was read gives the same bytes
    assertArrayEquals(bytes, ModelFile.encode(read.network(), read.normalisation(), read.metadata()));
  }

  @Test
  void differentWeightsGiveADifferentVersion() {
    Network network = BpttTest.randomNetwork(new Architecture(CellType.RNN, 1, 4, 1), 3);
    String before = ModelFile.decode(ModelFile.encode(network, Normalisation.DEFAULT, METADATA), "a").version();
    network.parameters()[0] = Math.nextUp(network.parameters()[0]);
    String after = ModelFile.decode(ModelFile.encode(network, Normalisation.DEFAULT, METADATA), "b").version();
    assertNotEquals(before, after);
  }

  @Test
  void refusesATruncatedFile() {
    byte[] bytes = validBytes();
    for (int length : new int[] {0, 5, 12, bytes.length / 2, bytes.length - 1}) {
      ModelFileException e =
          assertThrows(ModelFileException.class, () -> ModelFile.decode(Arrays.copyOf(bytes, length), "m.lstm"));
      assertOneLine(e, "m.lstm: truncated");
    }
  }

  @Test
  void refusesACorruptFile() {
    byte[] bytes = validBytes();
    for (int at : new int[] {30, bytes.length / 2, bytes.length - 1}) {
      byte[] corrupt = bytes.clone();
      corrupt[at] ^= 0x04;
      ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.decode(corrupt, "m.lstm"));
      assertOneLine(e, "m.lstm: corrupt: checksum mismatch");
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertOneLine(assertThrows(ModelFileException.class, () -> ModelFile.decode(longer, "m.lstm")), "m.lstm: corrupt");
  }

  @Test
  void refusesWrongMagic() {
    byte[] bytes = validBytes();
    bytes[1] = 'X';
    assertOneLine(
        assertThrows(ModelFileException.class, () -> ModelFile.decode(bytes, "m.lstm")),
        "m.lstm: not a StreamLSTM model file");
    byte[] text = "timestamp,value\n2024-01-01T00:00:00Z,1\n".getBytes();
    assertOneLine(
        assertThrows(ModelFileException.class, () -> ModelFile.decode(text, "data.csv")),
        "data.csv: not a StreamLSTM model file");
  }

  @Test
  void refusesAnotherFormatVersion() {
    byte[] bytes = validBytes();
    ByteBuffer.wrap(bytes).putInt(ModelFile.MAGIC.length, ModelFile.FORMAT_VERSION + 1);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.decode(bytes, "m.lstm"));
    assertOneLine(e, "m.lstm: model file format version " + (ModelFile.FORMAT_VERSION + 1) + " is not supported");
  }

  @Test
  void refusesAMissingFile(@TempDir Path dir) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(dir.resolve("none.lstm")));
    assertOneLine(e, dir.resolve("none.lstm") + ": no such model file");
  }

  @Test
  void defaultModelLoads() {
    Model model = Models.loadDefault();
    Architecture arch = model.network().architecture();
    assertEquals(new Architecture(CellType.LSTM, 1, 32, 1), arch);
    assertEquals(Normalisation.DEFAULT, model.normalisation());
    assertTrue(model.metadata().get("command").startsWith("streamlstm train --generated "));
    for (double p : model.network().parameters()) assertTrue(Double.isFinite(p));
    // every call gets its own parameters
    Models.loadDefault().network().parameters()[0] += 1;
    assertEquals(model.network().parameters()[0], Models.loadDefault().network().parameters()[0]);
  }

  private static byte[] validBytes() {
    Network network = BpttTest.randomNetwork(new Architecture(CellType.LSTM, 1, 3, 1), 9);
    return ModelFile.encode(network, Normalisation.DEFAULT, METADATA);
  }

  private static void assertOneLine(Exception e, String expectedStart) {
    assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
