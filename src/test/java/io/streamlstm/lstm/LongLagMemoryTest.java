package io.streamlstm.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vanishing-gradient lesson as a test. Channel 0 shows a value v = ±1, then {@value #LAG} - 1 readings
 * of noise, then v again; channel 1 (noisy) cues the moment v is shown and the step before it comes back.
 * Predicting the returning v takes a memory of {@value #LAG} steps. An LSTM learns it; a plain RNN of the
 * same size trained the same way stays at chance (μ ≈ 0, squared error ≈ 1): its error signal shrinks by
 * a factor at each of the 20 tanh steps back to the moment v was shown.
 */
class LongLagMemoryTest {

  static final int LAG = 20;
  /** v at offset 0, noise at 1..LAG-1, v again at offset LAG. */
  static final int EPISODE = LAG + 1;

  @Test
  void lstmRemembersAcrossTwentyStepsWhereTheRnnCannot() {
    double lstm = recallError(CellType.LSTM);
    double rnn = recallError(CellType.RNN);
    System.out.printf("recall squared error at lag %d: LSTM %.4f, RNN %.4f (chance 1)%n", LAG, lstm, rnn);
    assertTrue(lstm < 0.1, "LSTM recall squared error " + lstm);
    assertTrue(rnn > 0.8, "RNN recall squared error " + rnn);
  }

  /**
   * Trains on seeded episodes and returns the mean squared error of the predicted mean at the recall
   * steps of 100 new episodes.
   */
  private static double recallError(CellType cell) {
    List<double[][]> train = new ArrayList<>();
    for (int k = 0; k < 4; k++) train.add(episodes(150, 100 + k));
    // β = 1: the mean learns from plain squared errors; with the likelihood's own weighting (β = 0) a wide
    // σ absorbs the recall error and even the LSTM stays on the plateau for hundreds of epochs.
    TrainingOptions options = new TrainingOptions(cell, 16, 1, 30, 3 * EPISODE, 1e-2, 1.0, 1, 0.1, 30, 1.0, 0);
    Network network = Trainer.train(train, options, (epoch, t, v) -> {}).network();

    double[][] test = episodes(100, 999);
    Bptt bptt = new Bptt(network, 1, 0);
    double[] state = new double[network.architecture().stateSize()];
    double sum = 0;
    int recalls = 0;
    for (int t = 0; t + 1 < test.length; t++) {
      bptt.forward(state, test, t, 1);
      if ((t + 1) % EPISODE == LAG) {
        double miss = bptt.mean(0, 0) - test[t + 1][0];
        sum += miss * miss;
        recalls++;
      }
    }
    return sum / recalls;
  }

  /**
   * {@code count} episodes back to back, (T, 2) with T = count·EPISODE. Both channels carry Gaussian noise
   * everywhere except v itself, so no channel is predictable to within {@link Network#SIGMA_MIN}.
   */
  static double[][] episodes(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] z = new double[count * EPISODE][2];
    for (int e = 0; e < count; e++) {
      int at = e * EPISODE;
      double v = random.nextBoolean() ? 1 : -1;
      for (int s = 0; s < EPISODE; s++) {
        z[at + s][0] = 0.3 * SyntheticSeries.gaussian(random);
        z[at + s][1] = 0.2 * SyntheticSeries.gaussian(random);
      }
      z[at][0] = v;
      z[at + LAG][0] = v;
      z[at][1] += 1; // "remember this"
      z[at + LAG - 1][1] -= 1; // "it comes back next"
    }
    return z;
  }
}
