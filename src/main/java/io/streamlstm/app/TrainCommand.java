package io.streamlstm.app;

import io.streamlstm.detect.OnlineNormaliser;
import io.streamlstm.lstm.CellType;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import io.streamlstm.lstm.Normalisation;
import io.streamlstm.lstm.SyntheticSeries;
import io.streamlstm.lstm.Trainer;
import io.streamlstm.lstm.TrainingOptions;
import io.streamlstm.streams.SensorIdGlob;
import io.streamlstm.streams.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlstm train}: normalises every channel of the training series as the stream will, trains
 * a network to predict the next reading, and writes the model file, or publishes it to the model topic under a
 * name, or both. The series come from CSV files, from a topic of readings (the fleet's own history,
 * {@link TopicSeries}) or from the synthetic generator. The file's metadata records the full command (all options
 * spelled out), so any model can be made again byte for byte from the same data.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains an LSTM (or RNN) on CSV series, a topic's readings or generated series, and writes a model "
        + "file or publishes it to the model topic.")
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

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Train on the readings of a Kafka topic, in the service's input format: each channel of each sensor one series, in the topic's order.")
    String topic;
  }

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "Kafka, for --topic and --publish (overrides bootstrap.servers).")
  String bootstrapServers;

  @Option(names = "--from", paramLabel = "TIME", description = "With --topic: the first reading by its own timestamp, ISO-8601 or epoch ms (default: the first).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "With --topic: the last reading by its own timestamp, inclusive (default: the last).")
  String to;

  @Option(names = "--sensors", paramLabel = "GLOB", description = "With --topic: only sensors whose id matches, e.g. 'pump-*' (* any run, ? one character; default: all).")
  String sensors;

  @Option(names = "--config", paramLabel = "FILE", description = "The service's properties file: security settings, the model topic, detector settings to validate with.")
  Path config;

  @Option(names = "--publish", paramLabel = "NAME", description = "Publish the model to the model topic under this name (as 'model publish --name NAME'); services whose default model or a route is NAME switch to it.")
  String publish;

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

  @Option(names = "--out", paramLabel = "MODEL", description = "Model file to write (required unless --publish).")
  Path out;

  @Override
  public Integer call() throws ExecutionException, InterruptedException {
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      if (out == null && publish == null) throw new IllegalArgumentException("give --out FILE, --publish NAME or both");
      if (data.topic == null && (from != null || to != null || sensors != null)) {
        throw new IllegalArgumentException("--from, --to and --sensors select readings of a --topic");
      }
      TrainingOptions defaults = TrainingOptions.defaults();
      TrainingOptions options =
          new TrainingOptions(
              parseCell(cell), hidden, layers, epochs, window, learningRate, defaults.clipNorm(), seed,
              defaults.validationFraction(), patience, nllBeta, weightAverage);
      Normalisation normalisation = Normalisation.DEFAULT;
      List<double[][]> series = new ArrayList<>();
      String description = loadNormalised(new OnlineNormaliser(normalisation), series, stdout);
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
      byte[] file = ModelFile.encode(result.network(), normalisation, metadata);
      Model model = ModelFile.decode(file, "the trained model");
      stdout.printf(
          Locale.ROOT,
          "trained model %s, best epoch %d of %d, validation loss %.5f%n",
          model.version(), result.bestEpoch(), result.epochs(), result.validationLoss());
      if (out != null) {
        Files.write(out, file);
        stdout.printf("wrote %s%n", out);
      }
      if (publish != null) {
        stdout.flush();
        AppConfig appConfig = kafkaConfig();
        ModelCommand.publish(appConfig, appConfig.settings().modelTopic(), publish, file, "the trained model");
      }
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("train: cannot write " + out + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      spec.commandLine().getErr().println("train: " + e.getMessage());
      return 1;
    }
  }

  /** Fills {@code series} with (T, C) z-values, and describes the data for the model's metadata. */
  private String loadNormalised(OnlineNormaliser normaliser, List<double[][]> series, PrintWriter stdout) {
    if (data.topic != null) return loadTopic(normaliser, series, kafkaConfig(), stdout);
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

  /** Each channel of each selected sensor of the topic, one series; the readings the stream would refuse left out. */
  private String loadTopic(OnlineNormaliser normaliser, List<double[][]> series, AppConfig appConfig,
      PrintWriter stdout) {
    long fromMillis = from == null ? Long.MIN_VALUE : Timestamps.parse(from);
    long toMillis = to == null ? Long.MAX_VALUE : Timestamps.parse(to);
    SensorIdGlob glob = sensors == null ? null : SensorIdGlob.of(sensors);
    Properties consumerSettings = appConfig.clientSettings(ConsumerConfig.configNames());
    // What producers' transactions committed, as the service reads its input.
    consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerSettings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    TopicSeries.Result read;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      read = TopicSeries.read(consumer, data.topic, fromMillis, toMillis, glob,
          appConfig.settings().futureTolerance().toMillis());
    }
    int tooShort = 0;
    for (TopicSeries.Series s : read.series()) {
      // One reading is nothing to predict from.
      if (s.values().length < 2) {
        tooShort++;
        continue;
      }
      series.add(columns(new double[][] {normaliser.normaliseSeries(s.values())}));
    }
    stdout.printf("read %d records of %s: %d readings selected, %d series, %d of them too short (fewer than 2 "
        + "readings), left out %s%n", read.records(), data.topic, read.readingsSelected(), read.series().size(), tooShort,
        read.leftOut());
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series of at least 2 readings in " + data.topic
          + (sensors == null ? "" : " of sensors " + sensors)
          + (from == null && to == null ? "" : " between " + (from == null ? "the start" : from) + " and "
              + (to == null ? "the end" : to)));
    }
    return "topic " + data.topic + ": " + series.size() + " series, " + read.readingsSelected() + " readings"
        + (sensors == null ? "" : ", sensors " + sensors)
        + (from == null ? "" : ", from " + from) + (to == null ? "" : ", to " + to);
  }

  /** The service's configuration, read only when the command talks to Kafka. */
  private AppConfig kafkaConfig() {
    AppConfig appConfig = AppConfig.load(config, System.getenv());
    return bootstrapServers == null ? appConfig : appConfig.withBootstrapServers(bootstrapServers);
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
    String source = data.generated != null ? "--generated " + data.generated + " --length " + length
        : data.topic != null ? topicSelection()
        : "--input " + data.input;
    String averaging = weightAverage > 0 ? " --weight-average " + weightAverage : "";
    return String.format(
        Locale.ROOT,
        "streamlstm train %s --seed %d --epochs %d --hidden %d --layers %d --cell %s --window %d --learning-rate %s --patience %d --nll-beta %s%s",
        source, seed, epochs, hidden, layers, parseCell(cell).name().toLowerCase(Locale.ROOT), window,
        Double.toString(learningRate), patience, Double.toString(nllBeta), averaging);
  }

  /** The topic and the options selecting its readings, as given. */
  private String topicSelection() {
    return "--topic " + data.topic + (sensors == null ? "" : " --sensors " + sensors)
        + (from == null ? "" : " --from " + from) + (to == null ? "" : " --to " + to);
  }

  private static CellType parseCell(String name) {
    try {
      return CellType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cell must be lstm or rnn, got '" + name + "'");
    }
  }
}
