package io.streamlstm.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Prometheus' own tool on our rules and config: syntax, and alert behaviour on synthetic series. */
class AlertRulesIT {

  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PrometheusServer.binary("promtool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(DeployFiles.ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), String.join(" ", args) + ":\n" + output);
    return output;
  }

  @Test
  void alertRulesAreValid() throws Exception {
    assertTrue(promtool("check", "rules", "deploy/prometheus/alerts.yml").contains("SUCCESS: 10 rules found"));
  }

  @Test
  void alertsFireWhenTheyShouldAndNotBefore() throws Exception {
    // Fires/does not fire at given times for frequent episodes, a rising dead-letter rate, a stopped input,
    // missing metrics, growing lag (restore consumers excluded), a refused model, many silent sensors and slow
    // scoring.
    assertTrue(promtool("test", "rules", "deploy/prometheus/alerts-test.yml").contains("SUCCESS"));
  }

  @Test
  void prometheusRuleGroupsAreValidRulesToo(@TempDir Path dir) throws Exception {
    ObjectNode groups = DeployFiles.JSON.createObjectNode();
    groups.set("groups", DeployFiles.yaml("deploy/k8s/base/prometheusrule.yaml").get("spec").get("groups"));
    Path rules = dir.resolve("operator-rules.yml");
    Files.writeString(rules, DeployFiles.JSON.writeValueAsString(groups)); // JSON is YAML
    assertTrue(promtool("check", "rules", rules.toString()).contains("SUCCESS: 10 rules found"));
  }

  @Test
  void composePrometheusConfigIsValid() throws Exception {
    // Syntax only: the rule file path is the container's, checked by the tests above.
    assertTrue(promtool("check", "config", "--syntax-only", "deploy/prometheus/prometheus.yml").contains("SUCCESS"));
  }
}
