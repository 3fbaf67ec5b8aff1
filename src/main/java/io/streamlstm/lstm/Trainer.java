package io.streamlstm.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a network to predict the next normalised reading: Gaussian negative log-likelihood, truncated
 * back-propagation through time over windows (state carried from window to window of one series), Adam,
 * gradient clipping by global norm, and early stopping on the held-back tail of every series. Optionally
 * the weights are averaged over the steps (an exponential moving average, Polyak averaging): the average is
 * what is validated and kept, which is less sensitive to where the last few noisy steps happened to land.
 *
 * <p>Deterministic: the same series and options give the same parameters bit for bit (seeded
 * initialisation and series order, a single thread, {@link StrictMath} in the numerics).
 */
public final class Trainer {

  /** Called after every epoch; losses are mean negative log-likelihoods per reading and channel. */
  @FunctionalInterface
  public interface Progress {
    void epoch(int epoch, double trainLoss, double validationLoss);
  }

  /**
   * The trained network (parameters of the best validation epoch), how many epochs ran, which was best,
   * and that epoch's losses. Without a validation tail the validation loss is NaN and the last epoch wins.
   */
  public record Result(Network network, int epochs, int bestEpoch, double trainLoss, double validationLoss) {}

  private final TrainingOptions options;
  private final List<double[][]> series;
  private final int[] trainSteps;
  private final Network network;
  private final Bptt bptt;
  private final Adam adam;
  private final double[] grad;
  private final double[] state;
  private final boolean averaging;
  private final double[] average;
  private final double[] live;
  private long steps;

  private Trainer(List<double[][]> series, TrainingOptions options) {
    this.options = options;
    this.series = series;
    int channels = checkSeries(series);
    Architecture arch = new Architecture(options.cell(), channels, options.hidden(), options.layers());
    this.network = Network.initialise(arch, options.seed());
    this.bptt = new Bptt(network, options.window(), options.nllBeta());
    this.adam = new Adam(network.parameters().length, options.learningRate());
    this.grad = new double[network.parameters().length];
    this.state = new double[arch.stateSize()];
    this.averaging = options.weightAverage() > 0;
    this.average = network.parameters().clone();
    this.live = new double[average.length];
    this.trainSteps = new int[series.size()];
    for (int k = 0; k < series.size(); k++) {
      int targets = series.get(k).length - 1;
      trainSteps[k] = targets - (int) Math.floor(options.validationFraction() * targets);
    }
  }

  /**
   * Trains on {@code series}, each (T, C) of normalised readings z[t][channel]: the input of step t is
   * z[t], its target z[t+1].
   *
   * @throws IllegalArgumentException for no series, a series shorter than 2 readings, differing channel
   *     counts or a non-finite value
   */
  public static Result train(List<double[][]> series, TrainingOptions options, Progress progress) {
    return new Trainer(series, options).run(progress);
  }

  private Result run(Progress progress) {
    SplittableRandom order = new SplittableRandom(options.seed()).split();
    int[] seriesOrder = new int[series.size()];
    for (int k = 0; k < seriesOrder.length; k++) seriesOrder[k] = k;
    double[] best = network.parameters().clone();
    double bestValidation = Double.POSITIVE_INFINITY;
    double bestTrain = Double.NaN;
    int bestEpoch = 0;
    int epoch = 0;
    while (epoch < options.epochs() && epoch - bestEpoch < options.patience()) {
      epoch++;
      shuffle(seriesOrder, order);
      double trainLoss = trainEpoch(seriesOrder);
      if (!Double.isFinite(trainLoss)) {
        throw new IllegalStateException("training diverged in epoch " + epoch + ": loss " + trainLoss);
      }
      double validationLoss = averaging ? averageValidationLoss() : validationLoss();
      progress.epoch(epoch, trainLoss, validationLoss);
      // Without a validation tail NaN never compares better, so every epoch is taken as it comes.
      if (validationLoss < bestValidation || Double.isNaN(validationLoss)) {
        bestValidation = validationLoss;
        bestTrain = trainLoss;
        bestEpoch = epoch;
        System.arraycopy(averaging ? average : network.parameters(), 0, best, 0, best.length);
      }
    }
    System.arraycopy(best, 0, network.parameters(), 0, best.length);
    return new Result(network, epoch, bestEpoch, bestTrain, bestValidation);
  }

  /** One pass over the training part of every series, one Adam step per window; returns the mean loss. */
  private double trainEpoch(int[] seriesOrder) {
    int channels = network.architecture().inputSize();
    double total = 0;
    long targets = 0;
    for (int k : seriesOrder) {
      double[][] z = series.get(k);
      Arrays.fill(state, 0);
      for (int from = 0; from < trainSteps[k]; from += options.window()) {
        int count = Math.min(options.window(), trainSteps[k] - from);
        double loss = bptt.forward(state, z, from, count);
        Arrays.fill(grad, 0);
        bptt.backward(grad, 1.0 / (count * channels));
        clipByGlobalNorm(grad, options.clipNorm());
        adam.step(network.parameters(), grad);
        if (averaging) updateAverage();
        total += loss;
        targets += (long) count * channels;
      }
    }
    return total / targets;
  }

  /**
   * avg ← d·avg + (1 − d)·θ after every step. The decay warms up as (1 + t)/(10 + t) so that the random
   * initial weights the average starts from are forgotten within the first steps.
   */
  private void updateAverage() {
    steps++;
    double decay = Math.min(options.weightAverage(), (1.0 + steps) / (10.0 + steps));
    double[] theta = network.parameters();
    for (int k = 0; k < theta.length; k++) average[k] = decay * average[k] + (1 - decay) * theta[k];
  }

  /** The validation loss of the averaged weights; training then goes on from the live ones. */
  private double averageValidationLoss() {
    double[] theta = network.parameters();
    System.arraycopy(theta, 0, live, 0, theta.length);
    System.arraycopy(average, 0, theta, 0, theta.length);
    double loss = validationLoss();
    System.arraycopy(live, 0, theta, 0, theta.length);
    return loss;
  }

  /** Mean loss over the held-back tails, each series run from its start so the state is warm. */
  private double validationLoss() {
    int channels = network.architecture().inputSize();
    double total = 0;
    long targets = 0;
    for (int k = 0; k < series.size(); k++) {
      double[][] z = series.get(k);
      Arrays.fill(state, 0);
      for (int from = 0; from < z.length - 1; from += options.window()) {
        int count = Math.min(options.window(), z.length - 1 - from);
        bptt.forward(state, z, from, count);
        for (int s = Math.max(0, trainSteps[k] - from); s < count; s++) {
          total += bptt.stepLoss(s);
          targets += channels;
        }
      }
    }
    return targets == 0 ? Double.NaN : total / targets;
  }

  private static void clipByGlobalNorm(double[] grad, double maxNorm) {
    double sum = 0;
    for (double g : grad) sum += g * g;
    double norm = Math.sqrt(sum);
    if (norm > maxNorm) {
      double scale = maxNorm / norm;
      for (int k = 0; k < grad.length; k++) grad[k] *= scale;
    }
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int k = values.length - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int swap = values[k];
      values[k] = values[j];
      values[j] = swap;
    }
  }

  /** Returns the common channel count. */
  private static int checkSeries(List<double[][]> series) {
    if (series.isEmpty()) throw new IllegalArgumentException("no series to train on");
    int channels = series.get(0).length == 0 ? 0 : series.get(0)[0].length;
    for (int k = 0; k < series.size(); k++) {
      double[][] z = series.get(k);
      if (z.length < 2) {
        throw new IllegalArgumentException("series " + k + " has " + z.length + " readings, need at least 2");
      }
      for (int t = 0; t < z.length; t++) {
        if (z[t].length != channels) {
          throw new IllegalArgumentException(
              "series " + k + " has " + z[t].length + " channels at step " + t + ", expected " + channels);
        }
        for (double v : z[t]) {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("series " + k + " has a non-finite value at step " + t);
          }
        }
      }
    }
    return channels;
  }
}
