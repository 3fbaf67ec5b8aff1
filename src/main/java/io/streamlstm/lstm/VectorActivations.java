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

/**
 * {@link Activations} lane by lane: the same operations in the same order, so each lane holds the
 * bits the scalar function returns for it. Read the scalar class for the why of each step.
 */
final class VectorActivations {

  private static final int SIGN_BIT = 0x8000_0000;

  private VectorActivations() {}

  static FloatVector sigmoid(FloatVector z) {
    return one(z).div(exp(z.neg()).add(1f));
  }

  static FloatVector tanh(FloatVector z) {
    FloatVector a = z.abs();
    a = a.blend(constant(a, TANH_MAX), a.compare(VectorOperators.GT, TANH_MAX));
    FloatVector em = expm1(a.add(a));
    return copySign(em.div(em.add(2f)), z);
  }

  static FloatVector exp(FloatVector x) {
    x = x.blend(constant(x, EXP_MIN), x.compare(VectorOperators.LT, EXP_MIN));
    x = x.blend(constant(x, EXP_MAX), x.compare(VectorOperators.GT, EXP_MAX));
    FloatVector rounded = x.mul(LOG2_E).add(ROUNDER);
    FloatVector scale = twoToThe(rounded);
    FloatVector q = expm1Reduced(reduce(x, rounded.sub(ROUNDER)));
    return scale.fma(q, scale);
  }

  static FloatVector expm1(FloatVector x) {
    FloatVector rounded = x.mul(LOG2_E).add(ROUNDER);
    FloatVector scale = twoToThe(rounded);
    FloatVector q = expm1Reduced(reduce(x, rounded.sub(ROUNDER)));
    return scale.fma(q, scale.sub(1f));
  }

  private static FloatVector reduce(FloatVector x, FloatVector k) {
    FloatVector minusK = k.neg();
    FloatVector r = minusK.fma(constant(k, LN2_HI), x);
    return minusK.fma(constant(k, LN2_LO), r);
  }

  private static FloatVector expm1Reduced(FloatVector r) {
    FloatVector p = r.fma(C7, C6);
    p = p.fma(r, constant(r, C5));
    p = p.fma(r, constant(r, C4));
    p = p.fma(r, constant(r, C3));
    p = p.fma(r, constant(r, C2));
    p = p.fma(r, one(r));
    return p.mul(r);
  }

  private static FloatVector twoToThe(FloatVector rounded) {
    IntVector k = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
    return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  /** Math.copySign lane by lane: the magnitude's bits without their sign, the sign's sign bit. */
  private static FloatVector copySign(FloatVector magnitude, FloatVector sign) {
    IntVector bits = magnitude.reinterpretAsInts().and(~SIGN_BIT);
    return bits.or(sign.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
  }

  private static FloatVector constant(FloatVector like, float value) {
    return FloatVector.broadcast(like.species(), value);
  }

  private static FloatVector one(FloatVector like) {
    return constant(like, 1f);
  }
}
