package io.streamlstm.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global model store and the {@link ActiveModel} in step with the model topic. Only accepted
 * models enter the store, so after a restart (the global store is restored through this processor) the
 * instance comes back with the last good model, not with a refused one.
 */
final class ModelUpdateProcessor implements Processor<String, byte[], Void, Void> {

  private final ActiveModel models;
  private final String modelName;
  private final String storeName;
  private KeyValueStore<String, byte[]> store;

  ModelUpdateProcessor(ActiveModel models, String modelName, String storeName) {
    this.models = models;
    this.modelName = modelName;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
    final byte[] stored = store.get(modelName);
    if (stored != null) models.update(stored, "model store '" + modelName + "'");
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (!modelName.equals(record.key())) return; // models of other deployments sharing the topic
    if (models.update(record.value(), "model record '" + modelName + "'")) store.put(modelName, record.value());
  }
}
