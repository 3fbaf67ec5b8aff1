package io.streamlstm.lstm;

/** Picks the fastest {@link StepKernel} this JVM can run; all of them give the same bits. */
public final class StepKernels {

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private StepKernels() {}

  /** True when the JVM was started with {@code --add-modules jdk.incubator.vector}. */
  public static boolean vectorApiAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /**
   * The SIMD kernel when the Vector API is present, else the scalar one. VectorStepKernel links
   * against the incubator module, so it is named only behind the check: without the module the class
   * is never loaded and the jar still runs.
   */
  public static StepKernel create(Network network) {
    if (vectorApiAvailable()) return new VectorStepKernel(network);
    return new ScalarStepKernel(network);
  }
}
