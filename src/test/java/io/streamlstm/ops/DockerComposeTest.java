package io.streamlstm.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.streamlstm.app.Main;
import io.streamlstm.streams.StreamSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** docker-compose.yml, the Dockerfile and the Prometheus config agree with each other. */
class DockerComposeTest {

  private final JsonNode compose = DeployFiles.yaml("docker-compose.yml");
  private final JsonNode services = compose.get("services");

  private JsonNode service(String name) {
    JsonNode s = services.get(name);
    if (s == null) {
      throw new AssertionError("no service " + name);
    }
    return s;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  @Test
  void theDemoHasEveryPiece() {
    assertEquals(Set.of("kafka", "kafka-init", "detector", "simulator", "prometheus", "grafana"),
        new TreeSet<>(services.propertyNames()));
    assertTrue(service("kafka").get("image").asString().startsWith("apache/kafka:"));
    assertTrue(service("prometheus").get("image").asString().startsWith("prom/prometheus:"));
    assertTrue(service("grafana").get("image").asString().startsWith("grafana/grafana:"));
    for (String app : List.of("detector", "simulator")) {
      JsonNode s = service(app);
      assertEquals("deploy/docker/Dockerfile", s.get("build").get("dockerfile").asString(), app);
      assertEquals(".", s.get("build").get("context").asString(), app);
    }
    assertEquals("run", strings(service("detector").get("command")).get(0));
    assertEquals("simulate", strings(service("simulator").get("command")).get(0));
    List<String> simulate = strings(service("simulator").get("command"));
    assertEquals("kafka:9092", simulate.get(simulate.indexOf("--bootstrap-server") + 1));
  }

  @Test
  void commandsAreOnesTheCliAccepts() {
    List<List<String>> commands = new ArrayList<>();
    commands.add(strings(service("detector").get("command")));
    for (String file : List.of("deploy/k8s/base/statefulset.yaml", "deploy/k8s/overlays/example/statefulset-patch.yaml")) {
      commands.add(strings(DeployFiles.yaml(file).get("spec").get("template").get("spec").get("containers").get(0).get("args")));
    }
    for (List<String> command : commands) {
      CommandLine.ParseResult run = Main.commandLine().parseArgs(command.toArray(String[]::new)).subcommand();
      assertEquals("run", run.commandSpec().name(), command.toString());
      assertEquals(8080, (int) run.matchedOptionValue("--http-port", 0), command.toString());
    }
    CommandLine.ParseResult simulate = Main.commandLine()
        .parseArgs(strings(service("simulator").get("command")).toArray(String[]::new)).subcommand();
    assertEquals("simulate", simulate.commandSpec().name());
    assertEquals(StreamSettings.defaults().inputTopic(), simulate.matchedOptionValue("--topic", ""));
    CommandLine.ParseResult compose = Main.commandLine().parseArgs(commands.get(0).toArray(String[]::new)).subcommand();
    assertEquals(List.of("sensor-0", "sensor-1", "sensor-2"),
        List.copyOf(compose.matchedOptionValue("--metrics-sensors", Set.<String>of())));
  }

  @Test
  void kafkaRunsKRaftAndTheDetectorWaitsForItsTopics() {
    JsonNode env = service("kafka").get("environment");
    assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES").asString());
    assertTrue(env.get("KAFKA_ADVERTISED_LISTENERS").asString().contains("PLAINTEXT://kafka:9092"));
    assertEquals(1, env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt(), "exactly-once on one broker");

    assertEquals("service_healthy", service("kafka-init").get("depends_on").get("kafka").get("condition").asString());
    String script = strings(service("kafka-init").get("command")).get(0);
    StreamSettings settings = StreamSettings.defaults();
    for (String topic : List.of(settings.inputTopic(), settings.scoresTopic(), settings.anomaliesTopic(),
        settings.deadLetterTopic(), settings.feedback().topic())) {
      assertTrue(script.contains(" " + topic + " ") || script.contains(" " + topic + ";"), topic);
    }
    assertTrue(script.contains("--topic " + settings.modelTopic() + " "));
    assertTrue(script.contains("cleanup.policy=compact"));
    for (String app : List.of("detector", "simulator")) {
      assertEquals("service_completed_successfully",
          service(app).get("depends_on").get("kafka-init").get("condition").asString(), app);
    }
    JsonNode detectorEnv = service("detector").get("environment");
    assertEquals("kafka:9092", detectorEnv.get("KAFKA_BOOTSTRAP_SERVERS").asString());
    assertEquals("false", detectorEnv.get("STREAMLSTM_TOPICS_CREATE").asString());
  }

  @Test
  void longRunningServicesHaveHealthChecksAndPublishedPorts() {
    Map<String, String> ports = Map.of("kafka", "9094:9094", "detector", "8080:8080",
        "prometheus", "9090:9090", "grafana", "3000:3000");
    for (Map.Entry<String, String> e : ports.entrySet()) {
      JsonNode s = service(e.getKey());
      assertTrue(strings(s.get("ports")).contains(e.getValue()), e.getKey());
      JsonNode check = s.get("healthcheck");
      assertTrue(check != null && check.get("test").size() >= 2, e.getKey() + " has a health check");
    }
    String detectorCheck = String.join(" ", strings(service("detector").get("healthcheck").get("test")));
    assertTrue(detectorCheck.contains("/health") && detectorCheck.contains("8080"), detectorCheck);
    assertEquals("service_healthy", service("grafana").get("depends_on").get("prometheus").get("condition").asString());
  }

  @Test
  void prometheusScrapesTheDetectorAndGrafanaIsProvisionedForAnonymousViewers() {
    JsonNode prometheus = DeployFiles.yaml("deploy/prometheus/prometheus.yml");
    JsonNode job = prometheus.get("scrape_configs").get(0);
    assertEquals("/metrics", job.get("metrics_path").asString());
    assertEquals("detector:8080", job.get("static_configs").get(0).get("targets").get(0).asString());
    assertEquals("/etc/prometheus/alerts.yml", prometheus.get("rule_files").get(0).asString());

    for (String app : List.of("prometheus", "grafana")) {
      for (String volume : strings(service(app).get("volumes"))) {
        String source = volume.split(":")[0];
        assertTrue(Files.exists(DeployFiles.ROOT.resolve(source)), app + " mounts " + source);
      }
    }
    assertTrue(strings(service("prometheus").get("volumes")).contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro"));

    JsonNode grafana = service("grafana").get("environment");
    assertEquals("true", grafana.get("GF_AUTH_ANONYMOUS_ENABLED").asString());
    assertEquals("Viewer", grafana.get("GF_AUTH_ANONYMOUS_ORG_ROLE").asString());
    String home = grafana.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asString();
    assertTrue(home.startsWith("/var/lib/grafana/dashboards/"));
    assertTrue(Files.exists(DeployFiles.ROOT.resolve("grafana/dashboards").resolve(home.substring(home.lastIndexOf('/') + 1))));
    JsonNode provider = DeployFiles.yaml("grafana/provisioning/dashboards/dashboards.yml").get("providers").get(0);
    assertEquals("/var/lib/grafana/dashboards", provider.get("options").get("path").asString());
    assertTrue(strings(service("grafana").get("volumes")).contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro"));
    JsonNode datasource = DeployFiles.yaml("grafana/provisioning/datasources/prometheus.yml").get("datasources").get(0);
    assertEquals("http://prometheus:9090", datasource.get("url").asString());
  }

  @Test
  void dockerfileBuildsWithMavenAndRunsNonRootOnAJre17() {
    String dockerfile = DeployFiles.read("deploy/docker/Dockerfile");
    List<String> stages = new ArrayList<>();
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
    while (from.find()) {
      stages.add(from.group(1));
    }
    assertEquals(2, stages.size(), stages.toString());
    assertTrue(stages.get(0).startsWith("maven:") && stages.get(0).contains("17"), stages.get(0));
    assertEquals("eclipse-temurin:17-jre", stages.get(1));
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("FROM "));
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(runtime);
    assertTrue(user.find(), "the runtime stage sets a user");
    assertFalse(user.group(1).startsWith("0") || user.group(1).startsWith("root"), user.group(1));
    assertTrue(runtime.contains("\"--add-modules\", \"jdk.incubator.vector\""));
    assertTrue(runtime.contains("COPY --from=build /src/target/streamlstm.jar"));
    assertTrue(runtime.contains("EXPOSE 8080"));
    assertTrue(dockerfile.contains("mvn -B -q -Dmaven.test.skip=true package"));
  }
}
