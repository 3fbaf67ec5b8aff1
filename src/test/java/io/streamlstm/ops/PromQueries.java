package io.streamlstm.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Every PromQL expression our dashboards and alert rules send to Prometheus, and their parts. */
final class PromQueries {

  /** One expression and where it comes from, for failure messages. */
  record Query(String where, String expr) {}

  /** {@code <operand> <comparison> <number>}: the shape of every alert condition. */
  private static final Pattern CONDITION =
      Pattern.compile("(?s)^(.*?)\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\\s*$");
  /** Metric names of ours, Kafka's and the JVM's, with their label matchers if any. */
  private static final Pattern SELECTOR =
      Pattern.compile("\\b((?:streamlstm|kafka|jvm|process)_[a-zA-Z0-9_]*)(\\{[^}]*})?");
  private static final Pattern ABSENT = Pattern.compile("(?s)^absent\\((.*)\\)$");

  private PromQueries() {}

  /** Panel queries and annotation queries of every dashboard. */
  static List<Query> dashboards() {
    List<Query> queries = new ArrayList<>();
    for (Path file : DeployFiles.files("grafana/dashboards", ".json")) {
      JsonNode d = DeployFiles.JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      for (JsonNode panel : d.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          queries.add(new Query(name + " / " + panel.get("title").asString() + " / " + target.get("refId").asString(),
              target.get("expr").asString()));
        }
      }
      for (JsonNode annotation : d.get("annotations").get("list")) {
        if (annotation.has("expr")) {
          queries.add(new Query(name + " / annotation " + annotation.get("name").asString(), annotation.get("expr").asString()));
        }
      }
    }
    return queries;
  }

  /** The {@code label_values(metric, label)} variables of every dashboard, as metric → label. */
  static List<Map.Entry<String, String>> labelValueVariables() {
    Pattern labelValues = Pattern.compile("^label_values\\(\\s*([^,]+?)\\s*,\\s*(\\w+)\\s*\\)$");
    List<Map.Entry<String, String>> variables = new ArrayList<>();
    for (Path file : DeployFiles.files("grafana/dashboards", ".json")) {
      for (JsonNode v : DeployFiles.JSON.readTree(file.toFile()).get("templating").get("list")) {
        Matcher m = labelValues.matcher(v.get("query").get("query").asString());
        if (!m.matches()) {
          throw new AssertionError(file + ": variable " + v.get("name") + " is not label_values(metric, label)");
        }
        variables.add(Map.entry(m.group(1), m.group(2)));
      }
    }
    return variables;
  }

  static List<Query> alerts() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode group : DeployFiles.yaml("deploy/prometheus/alerts.yml").get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        queries.add(new Query("alert " + rule.get("alert").asString(), rule.get("expr").asString()));
      }
    }
    return queries;
  }

  /**
   * What must return data for a condition to be meaningful: the operand of its comparison (an alert
   * is normally quiet, its operand is not), or for {@code absent(x)} the selector {@code x}.
   */
  static String operand(String condition) {
    Matcher m = CONDITION.matcher(condition.strip());
    String operand = m.matches() ? m.group(1).strip() : condition.strip();
    Matcher absent = ABSENT.matcher(operand);
    return absent.matches() ? absent.group(1).strip() : operand;
  }

  static boolean isCondition(String expr) {
    return CONDITION.matcher(expr.strip()).matches();
  }

  /** The vector selectors in {@code expr}, e.g. {@code streamlstm_dead_letters_total} or {@code x{a="b"}}. */
  static Set<String> selectors(String expr) {
    Set<String> selectors = new LinkedHashSet<>();
    Matcher m = SELECTOR.matcher(expr);
    while (m.find()) {
      selectors.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    }
    return selectors;
  }

  /** Grafana's variables as Prometheus would see them from a dashboard showing {@code sensor}. */
  static String resolve(String expr, String sensor) {
    return expr.replace("$__rate_interval", "30s").replace("$__range", "5m").replace("$__interval", "5s")
        .replace("$sensor", sensor);
  }
}
