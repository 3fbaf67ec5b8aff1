package io.streamlstm.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamlstm.lstm.ChildJvm;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Without the Vector API module the state's arrays move one element at a time and the vector class is never
 * loaded; the stored state must be the same bytes either way, so a sensor's state moves between JVMs of either
 * kind unchanged.
 */
class ArrayBytesIT {

  /** Runs in the child JVM: prints the form it picked and a checksum of a scored sensor's state, decoded and re-encoded. */
  public static void main(String[] args) {
    Detector detector = new Detector(TestSeries.model(1, 32, 2, 1, "child"), DetectorConfig.defaults());
    SensorState state = detector.newState();
    SplittableRandom random = new SplittableRandom(5);
    for (int t = 0; t < 500; t++) {
      SensorState stored = SensorState.decode(state.encode());
      detector.process(stored, Reading.single(60_000L * t, 20 + Math.sin(t * 0.1) + 0.1 * random.nextGaussian()));
      state = stored;
    }
    CRC32 crc = new CRC32();
    crc.update(state.encode());
    System.out.println(ArrayBytes.FASTEST.getClass().getSimpleName() + " " + HexFormat.of().toHexDigits((int) crc.getValue()));
  }

  @Test
  void withoutTheVectorModuleTheStateIsTheSameBytes() throws Exception {
    String plain = ChildJvm.run(ArrayBytesIT.class, false);
    String withModule = ChildJvm.run(ArrayBytesIT.class, true);
    assertEquals("ScalarArrayBytes", plain.split(" ")[0], plain);
    assertEquals("VectorArrayBytes", withModule.split(" ")[0], withModule);
    assertEquals(withModule.split(" ")[1], plain.split(" ")[1], "checksum of the stored state");
  }
}
