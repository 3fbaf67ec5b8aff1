package io.streamlstm.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboards are well-formed Grafana JSON, every query names the provisioned data source. */
class GrafanaDashboardsTest {

  private static final String DATASOURCE_UID = DeployFiles.yaml("grafana/provisioning/datasources/prometheus.yml")
      .get("datasources").get(0).get("uid").asString();

  private static List<Path> dashboards() {
    List<Path> files = DeployFiles.files("grafana/dashboards", ".json");
    assertEquals(2, files.size(), files.toString());
    return files;
  }

  private static JsonNode read(Path file) {
    return DeployFiles.JSON.readTree(file.toFile());
  }

  private static void assertOurDatasource(JsonNode datasource, String where) {
    assertEquals("prometheus", datasource.path("type").asString(), where);
    assertEquals(DATASOURCE_UID, datasource.path("uid").asString(), where);
  }

  @Test
  void dashboardsAreWellFormed() {
    Set<String> uids = new HashSet<>();
    for (Path file : dashboards()) {
      JsonNode d = read(file);
      assertTrue(d.get("schemaVersion").asInt() >= 36, file + " schemaVersion");
      assertTrue(uids.add(d.get("uid").asString()), "dashboard uid unique: " + file);
      assertFalse(d.get("title").asString().isBlank());
      Set<Integer> ids = new HashSet<>();
      assertTrue(d.get("panels").size() >= 3, file + " has panels");
      for (JsonNode panel : d.get("panels")) {
        String where = file.getFileName() + " panel " + panel.get("title").asString();
        assertTrue(ids.add(panel.get("id").asInt()), "unique panel id: " + where);
        assertFalse(panel.get("type").asString().isBlank(), where);
        JsonNode grid = panel.get("gridPos");
        assertTrue(grid.get("w").asInt() > 0 && grid.get("h").asInt() > 0
            && grid.get("x").asInt() + grid.get("w").asInt() <= 24, where + " fits the 24-column grid");
        assertOurDatasource(panel.get("datasource"), where);
        assertTrue(panel.get("targets").size() > 0, where + " has queries");
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.get("targets")) {
          assertOurDatasource(target.get("datasource"), where);
          assertFalse(target.get("expr").asString().isBlank(), where + " query is empty");
          assertTrue(refIds.add(target.get("refId").asString()), where + " refIds unique");
        }
      }
      for (JsonNode variable : d.get("templating").get("list")) {
        assertOurDatasource(variable.get("datasource"), file + " variable " + variable.get("name").asString());
        assertFalse(variable.get("query").get("query").asString().isBlank());
      }
      for (JsonNode annotation : d.get("annotations").get("list")) {
        if (!annotation.path("builtIn").asBoolean()) {
          assertOurDatasource(annotation.get("datasource"), file + " annotation");
          assertFalse(annotation.get("expr").asString().isBlank());
        }
      }
    }
  }

  @Test
  void fleetDashboardCoversTheService() {
    String fleet = read(DeployFiles.path("grafana/dashboards/fleet.json")).toString();
    for (String metric : List.of("streamlstm_readings_scored_total", "kafka_consumer_fetch_manager_records_lag",
        "streamlstm_episodes_opened_total", "streamlstm_anomaly_likelihood_bucket", "streamlstm_dead_letters_total",
        "streamlstm_model_active", "kafka_stream_state_estimate_num_keys", "streamlstm_reading_processing_seconds_bucket")) {
      assertTrue(fleet.contains(metric), metric);
    }
  }

  @Test
  void sensorDashboardFollowsTheChosenSensor() {
    JsonNode sensor = read(DeployFiles.path("grafana/dashboards/sensor.json"));
    JsonNode variable = sensor.get("templating").get("list").get(0);
    assertEquals("sensor", variable.get("name").asString());
    assertEquals("label_values(streamlstm_sensor_likelihood, sensor)", variable.get("query").get("query").asString());
    for (JsonNode panel : sensor.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        assertTrue(target.get("expr").asString().contains("sensor=\"$sensor\""), target.get("expr").asString());
      }
    }
    String band = sensor.get("panels").get(0).get("targets").toString();
    for (String metric : List.of("streamlstm_sensor_value", "streamlstm_sensor_expected", "streamlstm_sensor_lower",
        "streamlstm_sensor_upper")) {
      assertTrue(band.contains(metric), metric);
    }
  }
}
