package io.streamlstm.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global model store and the {@link ActiveModels} in step with the model topic, for every model name
 * this instance follows. Only accepted models enter the store, so after a restart (the global store is restored
 * through this processor) the instance comes back with each name's last good model, not with a refused one.
 */
final class ModelUpdateProcessor implements Processor<String, byte[], Void, Void> {

  private final ActiveModels models;
  private final String storeName;
  private KeyValueStore<String, byte[]> store;

  ModelUpdateProcessor(ActiveModels models, String storeName) {
    this.models = models;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
    for (String name : models.names()) {
      final byte[] stored = store.get(name);
      if (stored != null) models.update(name, stored, "model store '" + name + "'");
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    final String name = record.key();
    if (name == null || !models.follows(name)) return; // models of other deployments sharing the topic
    if (models.update(name, record.value(), "model record '" + name + "'")) store.put(name, record.value());
  }
}
