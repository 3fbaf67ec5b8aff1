package io.streamlstm.app;

import io.streamlstm.detect.OnlineNormaliser;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Normalisation;
import io.streamlstm.lstm.SyntheticSeries;
import io.streamlstm.lstm.Trainer;
import io.streamlstm.lstm.TrainingOptions;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlstm train}: normalises every channel of the training series as the stream will, trains
 * a network to predict the next reading, and writes the model file. The file's metadata records the
 * full command (all options spelled out), so any model can be made again byte for byte.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains an LSTM (or RNN) on CSV series or generated ones and writes a model file.")
public final class TrainCommand implements Callable<Integer> {

  static final String CREATED_BY = "streamlstm train";

  @Spec CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Data data;

  static final class Data {
    @Option(names = "--input", paramLabel = "FILE.csv|DIR", description = "A CSV file, or a directory of them.")
    Path input;

    @Option(names = "--generated", paramLabel = "N", description = "Train on N seeded synthetic sensor series instead (daily cycles, trends, random walks, regime changes, spikes, flat and quantised stretches).")
    Integer generated;
  }

  @Option(names = "--length", defaultValue = "4000", description = "Readings per generated series (${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of data generation, weights and order (${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", defaultValue = "20", description = "Most epochs (${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--hidden", defaultValue = "32", description = "Units per layer (${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--layers", defaultValue = "1", description = "Stacked layers, 1-3 (${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--cell", defaultValue = "lstm", description = "lstm or rnn (${DEFAULT-VALUE}).")
  String cell;

  @Option(names = "--window", defaultValue = "64", description = "Steps of truncated BPTT (${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam step size (${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--patience", defaultValue = "3", description = "Epochs without improvement before stopping (${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--nll-beta", defaultValue = "0.5", description = "β of β-NLL, 0 = plain likelihood (${DEFAULT-VALUE}).")
  double nllBeta;

  @Option(names = "--weight-average", defaultValue = "0", paramLabel = "DECAY", description = "Keep an exponential moving average of the weights with this decay, e.g. 0.999, and validate and save it; 0 = the last step's weights (${DEFAULT-VALUE}).")
  double weightAverage;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model file to write.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      TrainingOptions defaults = TrainingOptions.defaults();
      TrainingOptions options =
          new TrainingOptions(
              parseCell(cell), hidden, layers, epochs, window, learningRate, defaults.clipNorm(), seed,
              defaults.validationFraction(), patience, nllBeta, weightAverage);
      Normalisation normalisation = Normalisation.DEFAULT;
      List<double[][]> series = new ArrayList<>();
      String description = loadNormalised(new OnlineNormaliser(normalisation), series);
      stdout.printf("training %s on %s%n", options, description);
      Trainer.Result result =
          Trainer.train(
              series,
              options,
              (epoch, train, validation) ->
                  stdout.printf(Locale.ROOT, "epoch %3d  train %.5f  validation %.5f%n", epoch, train, validation));
      Map<String, String> metadata = new TreeMap<>(options.toMetadata());
      metadata.put("created-by", CREATED_BY);
      metadata.put("command", command());
      metadata.put("data", description);
      metadata.put("epochs-run", Integer.toString(result.epochs()));
      metadata.put("best-epoch", Integer.toString(result.bestEpoch()));
      metadata.put("train-loss", Double.toString(result.trainLoss()));
      metadata.put("validation-loss", Double.toString(result.validationLoss()));
      Model model = ModelFile.write(out, result.network(), normalisation, metadata);
      stdout.printf(
          Locale.ROOT,
          "wrote %s: model %s, best epoch %d of %d, validation loss %.5f%n",
          out, model.version(), result.bestEpoch(), result.epochs(), result.validationLoss());
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      spec.commandLine().getErr().println("train: " + e.getMessage());
      return 1;
    }
  }

  /** Fills {@code series} with (T, C) z-values, and describes the data for the model's metadata. */
  private String loadNormalised(OnlineNormaliser normaliser, List<double[][]> series) {
    if (data.generated != null) {
      if (data.generated < 1) throw new IllegalArgumentException("--generated must be >= 1, got " + data.generated);
      if (length < 2) throw new IllegalArgumentException("--length must be >= 2, got " + length);
      for (double[] x : SyntheticSeries.generate(data.generated, length, seed)) {
        series.add(columns(new double[][] {normaliser.normaliseSeries(x)}));
      }
      return "generated: " + data.generated + " series of " + length + " readings, seed " + seed;
    }
    List<SeriesCsv.Series> files = SeriesCsv.readAll(data.input);
    SeriesCsv.Series first = files.get(0);
    List<String> names = new ArrayList<>();
    for (SeriesCsv.Series s : files) {
      // One network reads all files, so channel k must mean the same sensor in each.
      if (!Arrays.equals(s.channels(), first.channels())) {
        throw new IllegalArgumentException(
            s.name() + " has columns " + Arrays.toString(s.channels()) + ", " + first.name() + " has "
                + Arrays.toString(first.channels()));
      }
      if (s.length() < 2) throw new IllegalArgumentException(s.name() + ": " + s.length() + " readings, need at least 2");
      double[][] perChannel = new double[s.channels().length][];
      for (int c = 0; c < perChannel.length; c++) {
        double[] x = s.channel(c);
        for (int t = 0; t < x.length; t++) {
          if (!Double.isFinite(x[t])) {
            throw new IllegalArgumentException(s.name() + ": " + s.channels()[c] + " is " + x[t] + " at reading " + (t + 1));
          }
        }
        perChannel[c] = normaliser.normaliseSeries(x);
      }
      series.add(columns(perChannel));
      names.add(s.name());
    }
    return "files: " + String.join(", ", names);
  }

  /** (C, T) to (T, C). */
  private static double[][] columns(double[][] perChannel) {
    int length = perChannel[0].length;
    double[][] z = new double[length][perChannel.length];
    for (int c = 0; c < perChannel.length; c++) {
      for (int t = 0; t < length; t++) z[t][c] = perChannel[c][t];
    }
    return z;
  }

  /**
   * This run with every option spelled out, except --out: the way to make the same model again. Weight
   * averaging is spelled out only when on, so models trained before the option existed rebuild unchanged.
   */
  private String command() {
    String source = data.generated != null ? "--generated " + data.generated + " --length " + length : "--input " + data.input;
    String averaging = weightAverage > 0 ? " --weight-average " + weightAverage : "";
    return String.format(
        Locale.ROOT,
        "streamlstm train %s --seed %d --epochs %d --hidden %d --layers %d --cell %s --window %d --learning-rate %s --patience %d --nll-beta %s%s",
        source, seed, epochs, hidden, layers, parseCell(cell).name().toLowerCase(Locale.ROOT), window,
        Double.toString(learningRate), patience, Double.toString(nllBeta), averaging);
  }

  private static CellType parseCell(String name) {
    try {
      return CellType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cell must be lstm or rnn, got '" + name + "'");
    }
  }
}
