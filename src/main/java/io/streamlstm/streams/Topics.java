package io.streamlstm.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topology's topics that do not exist yet; existing ones are left exactly as they are. */
public final class Topics {

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * Readings, scores, anomalies and dead letters get {@code partitions} partitions; the model topic one,
   * compacted, since only the latest model per name matters and it must never expire.
   */
  public static void ensure(Admin admin, StreamSettings settings, int partitions) {
    final List<NewTopic> wanted = new ArrayList<>();
    for (String topic : List.of(settings.inputTopic(), settings.scoresTopic(), settings.anomaliesTopic(),
        settings.deadLetterTopic())) {
      wanted.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
    }
    wanted.add(modelTopic(settings.modelTopic()));
    create(admin, wanted);
  }

  public static NewTopic modelTopic(String name) {
    return new NewTopic(name, Optional.of(1), Optional.empty())
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  public static void create(Admin admin, List<NewTopic> wanted) {
    try {
      final Set<String> existing = admin.listTopics().names().get();
      final List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) return;
      admin.createTopics(missing).all().get();
      LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
    } catch (ExecutionException e) {
      // Another instance starting at the same time may have created them first: that is fine.
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
