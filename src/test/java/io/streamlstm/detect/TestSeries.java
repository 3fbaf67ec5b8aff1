package io.streamlstm.detect;

import io.streamlstm.lstm.Architecture;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.Network;
import io.streamlstm.lstm.Normalisation;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded models and series for the detector tests. */
final class TestSeries {

  private TestSeries() {}

  /** An untrained (seeded) LSTM wrapped as a model: the detector must cope with a poor predictor too. */
  static Model model(int channels, int hidden, int layers, long seed, String version) {
    Architecture arch = new Architecture(CellType.LSTM, channels, hidden, layers);
    return new Model(Network.initialise(arch, seed), Normalisation.DEFAULT, Map.of(), version);
  }

  /** A daily-ish cycle with Gaussian noise: level + amplitude·sin(2πt/period) + noise·N(0,1). */
  static double[] noisyCycle(int length, double level, double amplitude, double noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[length];
    for (int t = 0; t < length; t++) {
      x[t] = level + amplitude * Math.sin(2 * Math.PI * t / 96) + noise * gaussian(random);
    }
    return x;
  }

  static double gaussian(SplittableRandom random) {
    // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  static final long START = 1_700_000_000_000L;
  static final long STEP = 300_000L;
}
