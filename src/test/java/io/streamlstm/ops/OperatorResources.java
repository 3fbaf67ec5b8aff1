package io.streamlstm.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * Typed models of the custom resources we ship — Prometheus Operator's ServiceMonitor and
 * PrometheusRule (monitoring.coreos.com/v1), Strimzi's KafkaTopic (kafka.strimzi.io/v1beta2) — and of
 * kustomize's Kustomization. They cover the subset of each CRD schema that we use, with the CRDs'
 * field names: a misspelt field fails to parse (a field valid in the CRD but not modelled here
 * fails too: add it here when a manifest starts using it).
 */
final class OperatorResources {

  private OperatorResources() {}

  record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {}

  record ServiceMonitorSpec(LabelSelector selector, NamespaceSelector namespaceSelector, String jobLabel,
      List<Endpoint> endpoints) {}

  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  record Endpoint(String port, String path, String scheme, String interval, String scrapeTimeout,
      Boolean honorLabels) {}

  record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {}

  record PrometheusRuleSpec(List<RuleGroup> groups) {}

  record RuleGroup(String name, String interval, List<Rule> rules) {}

  record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
      Map<String, String> labels, Map<String, String> annotations) {}

  record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, KafkaTopicSpec spec) {}

  record KafkaTopicSpec(String topicName, int partitions, int replicas, Map<String, Object> config) {}

  record Kustomization(String apiVersion, String kind, String namespace, List<LabelSet> labels,
      List<String> resources, List<Image> images, List<Replica> replicas, List<Patch> patches) {}

  record LabelSet(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {}

  record Image(String name, String newName, String newTag, String digest) {}

  record Replica(String name, int count) {}

  record Patch(String path, String patch) {}
}
