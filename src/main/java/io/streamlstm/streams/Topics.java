package io.streamlstm.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topology's topics that do not exist yet; existing ones are left exactly as they are. */
public final class Topics {

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * Readings, scores, anomalies, dead letters and feedback get {@code partitions} partitions (feedback as many as
   * the readings: see {@link #checkFeedbackPartitions}); the model topic one, compacted, since only the latest model
   * per name matters and it must never expire.
   */
  public static void ensure(Admin admin, StreamSettings settings, int partitions) {
    final List<NewTopic> wanted = new ArrayList<>();
    for (String topic : List.of(settings.inputTopic(), settings.scoresTopic(), settings.anomaliesTopic(),
        settings.deadLetterTopic(), settings.feedback().topic())) {
      wanted.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
    }
    wanted.add(modelTopic(settings.modelTopic()));
    create(admin, wanted);
  }

  /**
   * Labels reach their sensor's scoring task through a repartition topic with as many partitions as the feedback
   * topic, so the feedback topic must have as many as the readings: else a label would land in another sensor's
   * task. Refuses to go on when both exist and differ.
   */
  public static void checkFeedbackPartitions(Admin admin, StreamSettings settings) {
    final String input = settings.inputTopic();
    final String feedback = settings.feedback().topic();
    try {
      final Set<String> existing = admin.listTopics().names().get();
      if (!existing.contains(input) || !existing.contains(feedback)) return;
      final Map<String, TopicDescription> topics = admin.describeTopics(List.of(input, feedback)).allTopicNames().get();
      final int readings = topics.get(input).partitions().size();
      final int labels = topics.get(feedback).partitions().size();
      if (readings != labels) {
        throw new IllegalStateException("the feedback topic " + feedback + " has " + labels + " partitions and the input topic "
            + input + " " + readings + ": give it as many, since labels are partitioned by sensor as the readings are");
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot describe topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topics", e);
    }
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
