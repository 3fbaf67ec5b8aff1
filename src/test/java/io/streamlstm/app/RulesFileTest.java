package io.streamlstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.streams.RecordingObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesFileTest {

  @TempDir Path dir;

  private final RecordingObserver observer = new RecordingObserver();
  /** What the rules file reported, as "loaded N" and "refused why". */
  private final List<String> reports = observer.rules;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("rules.txt"), text);
  }

  @Test
  void aChangedFileTakesEffectABadOneIsRefusedWithItsLineAndTheRulesBeforeItStay() throws IOException {
    final Path file = write("pump-* min-departure 2.5\n");
    try (RulesFile rules = RulesFile.watch(file, observer, Duration.ofDays(1))) {
      assertEquals(1, rules.get().size());
      write("pump-* min-departure 2.5\ntank-* only high\n");
      rules.reload();
      assertEquals(2, rules.get().size());
      write("pump-* min-departure 2.5\ntank-* only sideways\n");
      rules.reload();
      rules.reload(); // the same bad bytes are refused once
      assertEquals(2, rules.get().size(), "the rules before it stay");
      assertEquals("tank-* only high", rules.get().rules().get(1).text());
      Files.delete(file);
      rules.reload();
      rules.reload();
      assertEquals(2, rules.get().size());
      write("# all rules lifted\n");
      rules.reload();
      assertEquals(0, rules.get().size());
    }
    assertEquals(5, reports.size(), reports.toString());
    assertEquals(List.of("loaded 1", "loaded 2", "refused line 2: only takes 'high' or 'low'"), reports.subList(0, 3));
    assertTrue(reports.get(3).startsWith("refused cannot read it"), reports.get(3));
    assertEquals("loaded 0", reports.get(4));
  }

  @Test
  void theWatcherFindsAChangeByItself() throws Exception {
    final Path file = write("a only high\n");
    try (RulesFile rules = RulesFile.watch(file, observer, Duration.ofMillis(20))) {
      write("a only high\nb only low\nc only low\n");
      final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (rules.get().size() != 3 && System.nanoTime() < deadline) Thread.sleep(10);
      assertEquals(3, rules.get().size());
    }
  }

  @Test
  void aMissingOrBadFileStopsTheStartWithItsLineNumbers() throws IOException {
    assertEquals("no such rules file: " + dir.resolve("none.txt"), assertThrows(IllegalArgumentException.class,
        () -> RulesFile.watch(dir.resolve("none.txt"), observer)).getMessage());
    final Path bad = write("# header\npump-* quiet\n");
    assertEquals("rules file " + bad + " refused: line 2: unknown rule 'quiet' (known: min-departure, only, maintenance)",
        assertThrows(IllegalArgumentException.class, () -> RulesFile.read(bad)).getMessage());
    assertEquals(List.of(), reports);
  }
}
