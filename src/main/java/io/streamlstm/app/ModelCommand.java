package io.streamlstm.app;

import io.streamlstm.lstm.Model;
import io.streamlstm.streams.ActiveModels;
import io.streamlstm.streams.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamlstm model ...}: managing the models running services score with. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Manage the models of running services.",
    subcommands = {ModelCommand.Publish.class})
public final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Validates a model file as every service does on receipt (refused here rather than by all of them), and puts
   * it on {@code modelTopic} (created compacted if missing) under {@code name}; returns the model. Services whose
   * default model or a route is {@code name} switch to it without a restart. {@code train --publish} uses it too.
   */
  static Model publish(AppConfig config, String modelTopic, String name, byte[] modelFile, String source)
      throws ExecutionException, InterruptedException {
    final Model model = ActiveModels.validate(modelFile, source, config.settings().detector());
    try (Admin admin = Admin.create(config.clientSettings(AdminClientConfig.configNames()))) {
      Topics.create(admin, List.of(Topics.modelTopic(modelTopic)));
    }
    final Properties producerSettings = config.clientSettings(ProducerConfig.configNames());
    producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer())) {
      final RecordMetadata sent = producer.send(new ProducerRecord<>(modelTopic, name, modelFile)).get();
      System.out.printf("published model %s as '%s' to %s (partition %d, offset %d)%n",
          model.version(), name, modelTopic, sent.partition(), sent.offset());
    }
    return model;
  }

  /** {@code streamlstm model publish FILE}: every running instance switches to it without a restart. */
  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Validate a model file and publish it to the model topic; running services switch to it.")
  static final class Publish implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The model file (from 'streamlstm train').")
    Path file;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--topic", description = "Model topic (default: streamlstm.model.topic, streamlstm-models).")
    String topic;

    @Option(names = "--name", description = "Model name, the record key (default: streamlstm.model.name, default); "
        + "a name in streamlstm.model.routes scores the sensors routed to it.")
    String name;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The service's properties file: security settings and detector settings to validate with.")
    Path config;

    @Override
    public Integer call() throws IOException, ExecutionException, InterruptedException {
      AppConfig appConfig = AppConfig.load(config, System.getenv());
      if (bootstrapServers != null) appConfig = appConfig.withBootstrapServers(bootstrapServers);
      final byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("no such model file: " + file);
      }
      publish(appConfig, topic != null ? topic : appConfig.settings().modelTopic(),
          name != null ? name : appConfig.settings().modelName(), bytes, file.toString());
      return 0;
    }
  }
}
