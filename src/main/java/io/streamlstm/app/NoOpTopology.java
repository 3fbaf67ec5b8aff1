package io.streamlstm.app;

import io.streamlstm.streams.BadReadingException;
import io.streamlstm.streams.ReadingJson;
import io.streamlstm.streams.ReadingTimestampExtractor;
import io.streamlstm.streams.StreamSettings;
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
 * reads and writes the sensor's entry in a persistent store with a value as large as a real sensor
 * state, and writes a record as large as a real score. The detector's cost is the difference.
 */
final class NoOpTopology {

  static final String STORE = "sensor-state";

  private NoOpTopology() {}

  static Topology build(String input, String output, int stateBytes, int scoreBytes) {
    final Serde<String> text = Serdes.String();
    final Serde<byte[]> bytes = Serdes.ByteArray();
    final StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), text, bytes));
    final ReadingTimestampExtractor readingTime = new ReadingTimestampExtractor(StreamSettings.DEFAULT_FUTURE_TOLERANCE);
    builder.stream(input, Consumed.with(text, bytes).withTimestampExtractor(readingTime))
        .process(() -> new Pass(stateBytes, scoreBytes), STORE)
        .to(output, Produced.with(text, bytes));
    return builder.build();
  }

  private static final class Pass implements Processor<String, byte[], String, byte[]> {
    private final int stateBytes;
    private final int scoreBytes;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> states;

    Pass(int stateBytes, int scoreBytes) {
      this.stateBytes = stateBytes;
      this.scoreBytes = scoreBytes;
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
      states.put(record.key(), state == null ? new byte[stateBytes] : state.clone());
      context.forward(record.withValue(new byte[scoreBytes]));
    }
  }
}
