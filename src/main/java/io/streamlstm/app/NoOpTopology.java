package io.streamlstm.app;

import io.streamlstm.streams.BadReadingException;
import io.streamlstm.streams.ReadingJson;
import io.streamlstm.streams.ReadingTimestampExtractor;
import io.streamlstm.streams.StreamSettings;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The bench's baseline: the scoring topology's Kafka work without its math. It parses each reading,
 * reads and writes the sensor's entry in a persistent store with a real sensor state's bytes, and writes
 * a real score's bytes. The detector's cost is the difference.
 */
final class NoOpTopology {

  static final String STORE = "sensor-state";

  private NoOpTopology() {}

  /** Sensor states and scores of distinct sensors, as the detector wrote them. */
  record Samples(List<byte[]> states, List<byte[]> scores) {

    double meanStateBytes() {
      return states.stream().mapToInt(state -> state.length).average().orElse(0);
    }

    double meanScoreBytes() {
      return scores.stream().mapToInt(score -> score.length).average().orElse(0);
    }
  }

  static Topology build(String input, String output, Samples samples) {
    final Serde<String> text = Serdes.String();
    final Serde<byte[]> bytes = Serdes.ByteArray();
    final StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), text, bytes));
    final ReadingTimestampExtractor readingTime = new ReadingTimestampExtractor(StreamSettings.DEFAULT_FUTURE_TOLERANCE);
    builder.stream(input, Consumed.with(text, bytes).withTimestampExtractor(readingTime))
        .process(() -> new Pass(samples), STORE)
        .to(output, Produced.with(text, bytes));
    return builder.build();
  }

  private static final class Pass implements Processor<String, byte[], String, byte[]> {
    private final Samples samples;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private int scored;

    Pass(Samples samples) {
      this.samples = samples;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.states = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      try {
        ReadingJson.parse(record.key(), record.value());
      } catch (BadReadingException e) {
        return; // the bench sends none
      }
      byte[] state = states.get(record.key());
      List<byte[]> firstStates = samples.states();
      states.put(record.key(), state == null
          ? firstStates.get(Math.floorMod(record.key().hashCode(), firstStates.size())) : state.clone());
      context.forward(record.withValue(samples.scores().get(scored)));
      scored = (scored + 1) % samples.scores().size();
    }
  }
}
