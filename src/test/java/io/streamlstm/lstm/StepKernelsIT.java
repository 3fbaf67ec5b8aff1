package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The jar must run on a plain JVM: without {@code --add-modules jdk.incubator.vector} the factory
 * falls back to the scalar kernel and never loads the SIMD class. Checked in fresh JVMs, since the test
 * JVM itself runs with the module.
 */
class StepKernelsIT {

  /** Runs in the child JVM: prints the kernel the factory picked and the mean it predicts after one step. */
  public static void main(String[] args) {
    Architecture arch = new Architecture(CellType.LSTM, 1, 32, 2);
    StepKernel kernel = StepKernels.create(Network.initialise(arch, 9));
    float[] mean = new float[1];
    boolean accepted = kernel.step(new float[arch.stateSize()], new float[] {0.5f}, mean, new float[1]);
    System.out.println(kernel.getClass().getSimpleName() + " " + accepted + " " + Float.floatToRawIntBits(mean[0]));
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelRunsAndGivesTheSameBits() throws Exception {
    String plain = ChildJvm.run(StepKernelsIT.class, false);
    String withModule = ChildJvm.run(StepKernelsIT.class, true);
    assertEquals("ScalarStepKernel", plain.split(" ")[0], plain);
    assertEquals("VectorStepKernel", withModule.split(" ")[0], withModule);
    assertEquals("true", plain.split(" ")[1]);
    assertEquals(withModule.split(" ", 2)[1], plain.split(" ", 2)[1], "accepted and mean bits");
  }
}
