package io.streamlstm.lstm;

/**
 * The float activations of the inference step, built from one exponential so that the SIMD kernel
 * ({@code VectorActivations}) can mirror them operation for operation and produce the same bits: only
 * +, −, ×, ÷, fma, comparisons and bit manipulation, each of which is exactly rounded in IEEE float
 * whether done in a scalar register or a vector lane. (Math.exp and Math.tanh have no lanewise twin
 * with identical bits, and Math.tanh is a slow native call on JDK 17.) Within 2 ulps of the exact
 * functions: relative error below 1.2e-7 for exp, 2.4e-7 for σ and tanh (ActivationsTest).
 *
 * <p>Range reduction: x = k·ln2 + r with k an integer and |r| ≤ ln2/2, so e^x = 2^k·e^r; e^r − 1 is a
 * degree-7 Taylor polynomial (truncation error r^8/8! &lt; 6e-9) and 2^k is written straight into the
 * exponent bits.
 */
public final class Activations {

  private Activations() {}

  static final float LOG2_E = 1.44269504f;
  // ln 2 split in two so that k·LN2_HI is exact for the k we meet and r keeps its low bits (Cody–Waite).
  static final float LN2_HI = 0.693145752f;
  static final float LN2_LO = 1.42860677e-6f;
  // Adding 1.5·2^23 rounds a float to the nearest integer and leaves that integer in the low mantissa bits.
  static final float ROUNDER = 12582912f;
  static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  // e^x stays a normal float for x in [EXP_MIN, EXP_MAX] (k in [-126, 127]); beyond, σ is 0 or 1 to float precision.
  static final float EXP_MIN = -87f;
  static final float EXP_MAX = 88f;
  // Past |z| = 9 the formula below already gives exactly 1; the clamp keeps e^{2|z|} far from overflow.
  static final float TANH_MAX = 9f;
  static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

  /** σ(z) = 1 / (1 + e^−z). */
  public static float sigmoid(float z) {
    return 1f / (1f + exp(-z));
  }

  /** tanh(z) = sign(z)·(e^{2|z|} − 1) / (e^{2|z|} − 1 + 2), through e^x − 1 so that small |z| keeps its digits. */
  public static float tanh(float z) {
    float a = Math.abs(z);
    a = a > TANH_MAX ? TANH_MAX : a;
    float em = expMinus(a + a, 1f);
    return Math.copySign(em / (em + 2f), z);
  }

  /** e^x for x clamped to [EXP_MIN, EXP_MAX]; NaN stays NaN. */
  public static float exp(float x) {
    return expMinus(x, 0f);
  }

  /** softplus(s) = log(1 + e^s), for the head's scale (a few channels, not worth a float twin). */
  public static float softplus(float s) {
    return (float) Network.softplus(s);
  }

  /**
   * e^x − m for m = 0 or 1, as 2^k·(e^r − 1) + (2^k − m): the last term is exact for k ≤ 24, which
   * covers every small x, so e^x − 1 keeps the digits of a small x.
   */
  static float expMinus(float x, float m) {
    x = x < EXP_MIN ? EXP_MIN : x;
    x = x > EXP_MAX ? EXP_MAX : x;
    float rounded = x * LOG2_E + ROUNDER;
    float k = rounded - ROUNDER;
    float r = Math.fma(-k, LN2_HI, x);
    r = Math.fma(-k, LN2_LO, r);
    // e^r − 1 = r + r²/2! + … + r⁷/7!, Horner with fma
    float q = Math.fma(C7, r, C6);
    q = Math.fma(q, r, C5);
    q = Math.fma(q, r, C4);
    q = Math.fma(q, r, C3);
    q = Math.fma(q, r, C2);
    q = Math.fma(q, r, 1f);
    q = q * r;
    // 2^k: k sits in the low mantissa bits of `rounded`; move it to the exponent field
    float scale = Float.intBitsToFloat((Float.floatToRawIntBits(rounded) - ROUNDER_BITS + 127) << 23);
    return Math.fma(scale, q, scale - m);
  }
}
