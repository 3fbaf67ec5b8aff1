package io.streamlstm.lstm;

import static io.streamlstm.lstm.Activations.C2;
import static io.streamlstm.lstm.Activations.C3;
import static io.streamlstm.lstm.Activations.C4;
import static io.streamlstm.lstm.Activations.C5;
import static io.streamlstm.lstm.Activations.C6;
import static io.streamlstm.lstm.Activations.C7;
import static io.streamlstm.lstm.Activations.EXP_MAX;
import static io.streamlstm.lstm.Activations.EXP_MIN;
import static io.streamlstm.lstm.Activations.LN2_HI;
import static io.streamlstm.lstm.Activations.LN2_LO;
import static io.streamlstm.lstm.Activations.LOG2_E;
import static io.streamlstm.lstm.Activations.ROUNDER;
import static io.streamlstm.lstm.Activations.ROUNDER_BITS;
import static io.streamlstm.lstm.Activations.TANH_MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Activations} lane by lane: the same operations in the same order, so each lane holds the
 * bits the scalar function returns for it. Read the scalar class for the why of each step.
 *
 * <p>Everything works in place on float arrays and each loop body calls nothing but the Vector API:
 * a vector that crosses a call C2 did not inline is boxed on the heap, and C2 stops inlining our own
 * small helpers once a compilation grows big, while it always inlines the API's own methods.
 */
final class VectorActivations {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int V = SPECIES.length();
  private static final int SIGN_BIT = 0x8000_0000;

  private VectorActivations() {}

  /** a[k] = σ(a[k]) for k in [from, to), to − from a multiple of the lane count. */
  static void sigmoid(float[] a, int from, int to) {
    for (int k = from; k < to; k += V) {
      FloatVector.fromArray(SPECIES, a, k).neg().intoArray(a, k);
    }
    expMinus(a, from, to, 0f);
    FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    for (int k = from; k < to; k += V) {
      one.div(FloatVector.fromArray(SPECIES, a, k).add(1f)).intoArray(a, k);
    }
  }

  /**
   * a[k] = tanh(a[k]) for k in [from, to), to − from a multiple of the lane count; {@code z} holds at
   * least to − from floats of scratch (the arguments' signs).
   */
  static void tanh(float[] a, int from, int to, float[] z) {
    for (int k = from; k < to; k += V) {
      FloatVector arg = FloatVector.fromArray(SPECIES, a, k);
      arg.intoArray(z, k - from);
      FloatVector abs = arg.abs();
      abs = abs.blend(FloatVector.broadcast(SPECIES, TANH_MAX), abs.compare(VectorOperators.GT, TANH_MAX));
      abs.add(abs).intoArray(a, k);
    }
    expMinus(a, from, to, 1f);
    for (int k = from; k < to; k += V) {
      FloatVector em = FloatVector.fromArray(SPECIES, a, k);
      IntVector magnitude = em.div(em.add(2f)).reinterpretAsInts().and(~SIGN_BIT);
      IntVector sign = FloatVector.fromArray(SPECIES, z, k - from).reinterpretAsInts().and(SIGN_BIT);
      magnitude.or(sign).reinterpretAsFloats().intoArray(a, k);
    }
  }

  /** a[k] = e^a[k] − m for k in [from, to): {@link Activations#expMinus} lane by lane. */
  private static void expMinus(float[] a, int from, int to, float m) {
    for (int k = from; k < to; k += V) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, k);
      x = x.blend(FloatVector.broadcast(SPECIES, EXP_MIN), x.compare(VectorOperators.LT, EXP_MIN));
      x = x.blend(FloatVector.broadcast(SPECIES, EXP_MAX), x.compare(VectorOperators.GT, EXP_MAX));
      FloatVector rounded = x.mul(LOG2_E).add(ROUNDER);
      FloatVector minusK = rounded.sub(ROUNDER).neg();
      FloatVector r = minusK.fma(FloatVector.broadcast(SPECIES, LN2_HI), x);
      r = minusK.fma(FloatVector.broadcast(SPECIES, LN2_LO), r);
      FloatVector q = r.fma(C7, C6);
      q = q.fma(r, FloatVector.broadcast(SPECIES, C5));
      q = q.fma(r, FloatVector.broadcast(SPECIES, C4));
      q = q.fma(r, FloatVector.broadcast(SPECIES, C3));
      q = q.fma(r, FloatVector.broadcast(SPECIES, C2));
      q = q.fma(r, FloatVector.broadcast(SPECIES, 1f));
      q = q.mul(r);
      FloatVector scale = rounded.reinterpretAsInts().sub(ROUNDER_BITS).add(127)
          .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      scale.fma(q, scale.sub(m)).intoArray(a, k);
    }
  }
}
