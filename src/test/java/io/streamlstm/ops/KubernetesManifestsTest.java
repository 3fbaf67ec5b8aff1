package io.streamlstm.ops;

import static io.streamlstm.ops.DeployFiles.STRICT_YAML;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.streamlstm.ops.OperatorResources.KafkaTopic;
import io.streamlstm.ops.OperatorResources.Kustomization;
import io.streamlstm.ops.OperatorResources.PrometheusRule;
import io.streamlstm.ops.OperatorResources.ServiceMonitor;
import io.streamlstm.streams.StreamSettings;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** deploy/k8s parsed strictly against the Kubernetes API model (fabric8) and our CRD models. */
class KubernetesManifestsTest {

  /** apiVersion/kind → the model a document must parse into. */
  private static final Map<String, Class<?>> MODELS = Map.of(
      "v1/ConfigMap", ConfigMap.class,
      "v1/Service", Service.class,
      "v1/Namespace", Namespace.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
      "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class,
      "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
      "kustomize.config.k8s.io/v1beta1/Kustomization", Kustomization.class);

  private static final String BASE = "deploy/k8s/base/";

  private static Object parse(JsonNode doc, Path file) {
    String type = doc.path("apiVersion").asString() + "/" + doc.path("kind").asString();
    Class<?> model = MODELS.get(type);
    if (model == null) {
      throw new AssertionError(file + ": no model for " + type);
    }
    try {
      return STRICT_YAML.treeToValue(doc, model);
    } catch (JacksonException e) {
      throw new AssertionError(file + ": not a valid " + type + ": " + e.getOriginalMessage(), e);
    }
  }

  private static <T> List<T> all(Class<T> type, String dir) {
    List<T> found = new ArrayList<>();
    for (Path file : DeployFiles.files(dir, ".yaml")) {
      for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
        Object parsed = parse(doc, file);
        if (type.isInstance(parsed)) {
          found.add(type.cast(parsed));
        }
      }
    }
    return found;
  }

  private static <T> T one(Class<T> type) {
    List<T> found = all(type, BASE);
    assertEquals(1, found.size(), type.getSimpleName() + " in the base");
    return found.get(0);
  }

  @Test
  void everyManifestParsesStrictlyIntoItsModel() {
    int documents = 0;
    for (Path file : DeployFiles.files("deploy/k8s", ".yaml")) {
      for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
        assertNotNull(parse(doc, file));
        documents++;
      }
    }
    // base: kustomization, configmap, statefulset, 2 services, pdb, servicemonitor, rule, 6 topics;
    // overlay: kustomization, namespace, statefulset patch.
    assertEquals(17, documents);
  }

  @Test
  void misspeltFieldsAreErrorsAtAnyDepth() {
    String statefulSet = DeployFiles.read(BASE + "statefulset.yaml");
    for (String typo : List.of(
        statefulSet.replace("  replicas: 3", "  replica: 3"),
        statefulSet.replace("imagePullPolicy:", "imagePullPolice:"),
        statefulSet.replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:"),
        statefulSet.replace("        - name: tmp\n          emptyDir:", "        - name: tmp\n          emptydir:"))) {
      assertFalse(typo.equals(statefulSet), "the typo was applied");
      assertThrows(JacksonException.class, () -> STRICT_YAML.readValue(typo, StatefulSet.class));
    }
    String monitor = DeployFiles.read(BASE + "servicemonitor.yaml").replace("interval:", "intervall:");
    assertThrows(JacksonException.class, () -> STRICT_YAML.readValue(monitor, ServiceMonitor.class));
    String topics = DeployFiles.read(BASE + "kafkatopics.yaml").split("---")[0].replace("partitions:", "partition:");
    assertThrows(JacksonException.class, () -> STRICT_YAML.readValue(topics, KafkaTopic.class));
  }

  @Test
  void detectorRunsNonRootOnAReadOnlyRootWithAStateVolume() {
    StatefulSet set = one(StatefulSet.class);
    var pod = set.getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
    Container detector = pod.getContainers().get(0);
    assertTrue(detector.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(detector.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), detector.getSecurityContext().getCapabilities().getDrop());
    assertEquals("run", detector.getArgs().get(0));

    Map<String, String> mounts = detector.getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertNotNull(volumes.get(mounts.get("/tmp")).getEmptyDir(), "/tmp is a writable emptyDir");
    String stateVolume = mounts.get("/var/lib/streamlstm");
    assertEquals(stateVolume, set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName(),
        "the state dir is the per-pod persistent volume");
    assertEquals("streamlstm-config", volumes.get(mounts.get("/etc/streamlstm")).getConfigMap().getName());

    Map<String, Quantity> requests = detector.getResources().getRequests();
    Map<String, Quantity> limits = detector.getResources().getLimits();
    assertTrue(requests.keySet().containsAll(Set.of("cpu", "memory")));
    assertTrue(limits.containsKey("memory"));
    assertTrue(Quantity.getAmountInBytes(limits.get("memory")).compareTo(
        Quantity.getAmountInBytes(requests.get("memory"))) >= 0);

    assertEquals("/health", detector.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/ready", detector.getReadinessProbe().getHttpGet().getPath());
    assertEquals(8080, detector.getPorts().get(0).getContainerPort());
    assertEquals("--http-port", detector.getArgs().get(detector.getArgs().indexOf("8080") - 1));
    assertEquals("streamlstm-headless", set.getSpec().getServiceName());
  }

  @Test
  void configMapPointsKafkaStreamsAtTheStateVolume() throws Exception {
    ConfigMap config = one(ConfigMap.class);
    Properties properties = new Properties();
    properties.load(new StringReader(config.getData().get("streamlstm.properties")));
    assertEquals("/var/lib/streamlstm", properties.getProperty("state.dir"));
    assertEquals("false", properties.getProperty("streamlstm.topics.create"), "topics are KafkaTopic resources");
    assertEquals("1", properties.getProperty("num.standby.replicas"));
    String args = String.join(" ", one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    assertTrue(args.contains("--config /etc/streamlstm/streamlstm.properties"), args);
  }

  @Test
  void servicesMonitorAndBudgetSelectTheDetectorPods() {
    StatefulSet set = one(StatefulSet.class);
    Map<String, String> podLabels = set.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(set.getSpec().getSelector().getMatchLabels().entrySet()));

    List<Service> services = all(Service.class, BASE);
    Service headless = services.stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).findFirst().orElseThrow();
    assertEquals(set.getSpec().getServiceName(), headless.getMetadata().getName());
    Service metrics = services.stream().filter(s -> s != headless).findFirst().orElseThrow();
    for (Service s : services) {
      assertTrue(podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()), s.getMetadata().getName());
    }

    ServiceMonitor monitor = one(ServiceMonitor.class);
    assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(
        monitor.spec().selector().getMatchLabels().entrySet()), "the monitor selects the metrics Service");
    assertFalse(headless.getMetadata().getLabels().entrySet().containsAll(
        monitor.spec().selector().getMatchLabels().entrySet()), "and not the headless one (no double scrape)");
    String port = monitor.spec().endpoints().get(0).port();
    ServicePort servicePort = metrics.getSpec().getPorts().stream().filter(p -> port.equals(p.getName())).findFirst().orElseThrow();
    assertEquals("http", servicePort.getTargetPort().getStrVal());
    assertEquals("/metrics", monitor.spec().endpoints().get(0).path());

    PodDisruptionBudget budget = one(PodDisruptionBudget.class);
    assertTrue(podLabels.entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet()));
    assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
  }

  @Test
  void prometheusRuleEmbedsTheAlertRulesFile() {
    JsonNode alerts = DeployFiles.yaml("deploy/prometheus/alerts.yml");
    JsonNode rule = DeployFiles.yaml(BASE + "prometheusrule.yaml");
    assertEquals(alerts.get("groups"), rule.get("spec").get("groups"));
    PrometheusRule typed = one(PrometheusRule.class);
    Set<String> names = typed.spec().groups().get(0).rules().stream().map(OperatorResources.Rule::alert)
        .collect(Collectors.toSet());
    assertTrue(names.containsAll(Set.of("StreamLSTMEpisodesFrequent", "StreamLSTMDeadLettersGrowing",
        "StreamLSTMConsumerLagHigh", "StreamLSTMNoData", "StreamLSTMModelRefused")), names.toString());
  }

  @Test
  void kafkaTopicsAreCompactedForModelsAndSizedForScaleOut() {
    Map<String, KafkaTopic> topics = all(KafkaTopic.class, BASE).stream()
        .collect(Collectors.toMap(t -> t.metadata().getName(), t -> t));
    StreamSettings settings = StreamSettings.defaults();
    assertEquals(Set.of(settings.inputTopic(), settings.scoresTopic(), settings.anomaliesTopic(),
        settings.deadLetterTopic(), settings.feedback().topic(), settings.modelTopic()), topics.keySet(),
        "the topology's topics");
    assertEquals(topics.get(settings.inputTopic()).spec().partitions(),
        topics.get(settings.feedback().topic()).spec().partitions(), "labels are partitioned as the readings");
    assertEquals("compact", topics.get(settings.modelTopic()).spec().config().get("cleanup.policy"));
    assertEquals(1, topics.get(settings.modelTopic()).spec().partitions());
    int replicas = one(StatefulSet.class).getSpec().getReplicas();
    assertTrue(topics.get(settings.inputTopic()).spec().partitions() >= replicas,
        "instances beyond the input partitions would sit idle");
    for (KafkaTopic t : topics.values()) {
      assertTrue(t.metadata().getLabels().containsKey("strimzi.io/cluster"), t.metadata().getName());
    }
  }

  @Test
  void kustomizationsNameFilesThatExist() {
    for (String dir : List.of("deploy/k8s/base", "deploy/k8s/overlays/example")) {
      Kustomization k = STRICT_YAML.treeToValue(DeployFiles.yaml(dir + "/kustomization.yaml"), Kustomization.class);
      List<String> referenced = new ArrayList<>(k.resources());
      if (k.patches() != null) {
        k.patches().forEach(p -> referenced.add(p.path()));
      }
      for (String resource : referenced) {
        assertTrue(Files.exists(DeployFiles.ROOT.resolve(dir).resolve(resource)), dir + " -> " + resource);
      }
    }
    // Every manifest of the base is listed: none is silently left out of a deployment.
    Kustomization base = STRICT_YAML.treeToValue(DeployFiles.yaml(BASE + "kustomization.yaml"), Kustomization.class);
    Set<String> files = DeployFiles.files(BASE, ".yaml").stream().map(p -> p.getFileName().toString())
        .filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toSet());
    assertEquals(files, Set.copyOf(base.resources()));
  }
}
