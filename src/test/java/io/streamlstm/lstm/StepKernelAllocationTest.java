package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The stream calls a kernel once per reading: it must not allocate. Measured with the JVM's per-thread
 * allocation counter over rounds of many steps, until the JIT has compiled the step (before that, the
 * Vector API's interpreted fallback boxes every vector; on a loaded machine C2 may take a few rounds).
 * A stray allocation in a round (a deoptimisation, the counter's own bookkeeping) is tolerated; one
 * per call is not: that would be at least 16 bytes × STEPS.
 */
class StepKernelAllocationTest {

  private static final int STEPS = 20_000;
  private static final int MAX_ROUNDS = 50;

  @Test
  void scalarKernelAllocatesNothingPerStep() {
    assertAllocationFree(ScalarStepKernel::new);
  }

  @Test
  void vectorKernelAllocatesNothingPerStep() {
    assertAllocationFree(VectorStepKernel::new);
  }

  private static void assertAllocationFree(Function<Network, StepKernel> kernels) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (CellType cell : CellType.values()) {
      Architecture arch = new Architecture(cell, 2, 20, 2);
      StepKernel kernel = kernels.apply(Network.initialise(arch, 3));
      float[] state = new float[arch.stateSize()];
      float[] x = new float[2];
      float[] mean = new float[2];
      float[] sigma = new float[2];
      long allocated = Long.MAX_VALUE;
      for (int round = 0; round < MAX_ROUNDS && allocated >= STEPS; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        run(kernel, state, x, mean, sigma, STEPS);
        allocated = threads.getCurrentThreadAllocatedBytes() - before;
      }
      assertTrue(allocated < STEPS, cell + ": still " + allocated + " bytes over " + STEPS + " steps");
    }
  }

  private static void run(StepKernel kernel, float[] state, float[] x, float[] mean, float[] sigma, int steps) {
    for (int t = 0; t < steps; t++) {
      x[0] = (float) Math.sin(t * 0.05);
      x[1] = (float) Math.cos(t * 0.031);
      assertTrue(kernel.step(state, x, mean, sigma));
    }
  }
}
