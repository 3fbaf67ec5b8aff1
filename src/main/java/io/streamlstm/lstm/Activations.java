package io.streamlstm.lstm;

/** The float activations of the inference step. */
public final class Activations {

  private Activations() {}

  public static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }

  /** tanh through exp: Math.tanh is a slow native call on this JDK, Math.exp is an intrinsic. */
  public static float tanh(float z) {
    double e = Math.exp(-2.0 * Math.abs(z));
    double t = (1.0 - e) / (1.0 + e);
    return (float) Math.copySign(t, z);
  }

  public static float softplus(float s) {
    return (float) Network.softplus(s);
  }
}
