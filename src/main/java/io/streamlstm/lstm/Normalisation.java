package io.streamlstm.lstm;

/**
 * How readings were normalised for training, so the stream normalises them the same way: an
 * exponentially weighted mean and variance per channel with the given half-life (in readings), the
 * normalised value clipped to ±{@code clip} scales. The detector implements it; the model file only
 * carries it.
 */
public record Normalisation(double halfLife, double clip) {

  public static final Normalisation DEFAULT = new Normalisation(500, 8);

  public Normalisation {
    if (!(halfLife > 0)) throw new IllegalArgumentException("halfLife must be > 0, got " + halfLife);
    if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0, got " + clip);
  }
}
