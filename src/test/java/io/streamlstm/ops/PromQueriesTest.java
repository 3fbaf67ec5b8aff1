package io.streamlstm.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expression splitting the Prometheus IT relies on. */
class PromQueriesTest {

  @Test
  void operandOfAConditionIsWhatMustHaveData() {
    assertEquals("sum(rate(a_total[5m])) / sum(rate(b_total[5m]))",
        PromQueries.operand("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 0.05"));
    assertEquals("max(x{client_id=~\".+-c\"})", PromQueries.operand("max(x{client_id=~\".+-c\"}) > 10000"));
    assertEquals("sum(rate(x[5m]))", PromQueries.operand("sum(rate(x[5m])) == 0"));
    assertEquals("streamlstm_readings_scored_total", PromQueries.operand("absent(streamlstm_readings_scored_total) == 1"));
    assertEquals("rate(x[1m])", PromQueries.operand("rate(x[1m])"));
    assertTrue(PromQueries.isCondition("increase(x[1m]) > 0"));
    assertFalse(PromQueries.isCondition("histogram_quantile(0.99, sum by (le) (rate(x_bucket[1m])))"));
  }

  @Test
  void selectorsKeepTheirLabelMatchers() {
    assertEquals(Set.of("streamlstm_sensor_value{sensor=\"$sensor\"}", "kafka_stream_state_estimate_num_keys"),
        PromQueries.selectors("streamlstm_sensor_value{sensor=\"$sensor\"} + sum(kafka_stream_state_estimate_num_keys)"));
  }

  @Test
  void everyDashboardAndAlertHasQueries() {
    assertTrue(PromQueries.dashboards().size() >= 20);
    assertEquals(10, PromQueries.alerts().size());
    for (PromQueries.Query q : PromQueries.alerts()) {
      assertTrue(PromQueries.isCondition(q.expr()), q.where() + " is <operand> <comparison> <number>");
      assertFalse(PromQueries.selectors(q.expr()).isEmpty(), q.where());
    }
    assertEquals("streamlstm_sensor_likelihood", PromQueries.labelValueVariables().get(0).getKey());
  }
}
