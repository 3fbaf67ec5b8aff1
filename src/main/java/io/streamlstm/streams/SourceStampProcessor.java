package io.streamlstm.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Notes a record's input topic, partition and offset in its headers, before a repartition replaces them. */
final class SourceStampProcessor implements FixedKeyProcessor<String, byte[], byte[]> {

  private FixedKeyProcessorContext<String, byte[]> context;

  @Override
  public void init(FixedKeyProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    DeadLetters.stampSource(record.headers(), source.topic(), source.partition(), source.offset());
    context.forward(record);
  }
}
