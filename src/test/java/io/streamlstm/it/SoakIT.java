package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.soak.CrashSoak;
import io.streamlstm.streams.ScoringTopology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash soak ({@code streamlstm soak}) in small: a broker and two instances as their own JVMs, one
 * instance SIGKILLed and restarted, the broker restarted, and every committed score audited; the service's
 * stream threads per instance.
 */
class SoakIT {

  @Test
  void instancesRideOutAKillAndABrokerRestartWithEveryScoreOnceAndUndisturbed(@TempDir Path dir) throws Exception {
    CrashSoak.Options options = new CrashSoak.Options(20_000, 200, 7, 500, 1, 0, 4, ScoringTopology.STREAM_THREADS,
        dir.resolve("soak"));

    CrashSoak.Report report = CrashSoak.run(options, System.out);

    assertEquals(List.of("SIGKILL", "broker"), report.recoveries().stream()
        .map(r -> r.event().split(" ")[0]).sorted().toList(), "one kill and one broker restart");
    assertEquals(20_000, report.audit().expected(), "every simulated reading is one the detector accepts");
    assertEquals(20_000, report.audit().scores());
    assertEquals(0, report.audit().lost(), "scores lost");
    assertEquals(0, report.audit().duplicated(), "scores committed twice");
    assertEquals(0, report.audit().unequal(), "scores that differ from the undisturbed run's");
    assertEquals(0, report.audit().unknown(), "scores for no reading sent");
    assertEquals(0, report.sendFailures(), "readings the broker refused");
    assertTrue(report.recoveries().stream().allMatch(CrashSoak.Recovery::recovered), () -> "each recovery timed: "
        + report.recoveries());
    assertTrue(report.instancesRunning(), "both instances RUNNING again without outside help");
    assertTrue(report.passed());
  }
}
