package io.streamlstm.detect.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixedSplitsTest {

  private static NabFile file(String name, boolean window) {
    return new NabFile(name, new double[10], window ? new int[][] {{5, 6}} : new int[0][]);
  }

  private static List<String> names(List<NabFile> files) {
    return files.stream().map(NabFile::name).toList();
  }

  @Test
  void splitsByKindAndByEvenAndOddPositionInNameOrder() {
    List<NabFile> corpus = List.of(
        file("realKnownCause/b.csv", false),
        file("artificialWithAnomaly/c.csv", true),
        file("artificialNoAnomaly/a.csv", false),
        file("realKnownCause/a.csv", true));

    Map<String, List<NabFile>> splits = FixedSplits.of(corpus);

    assertEquals(List.of("artificial", "real", "even", "odd"), List.copyOf(splits.keySet()));
    assertEquals(List.of("artificialNoAnomaly/a.csv", "artificialWithAnomaly/c.csv"), names(splits.get("artificial")));
    assertEquals(List.of("realKnownCause/a.csv", "realKnownCause/b.csv"), names(splits.get("real")));
    // Name order: artificialNoAnomaly/a (1), artificialWithAnomaly/c (2), realKnownCause/a (3), realKnownCause/b (4).
    assertEquals(List.of("artificialWithAnomaly/c.csv", "realKnownCause/b.csv"), names(splits.get("even")));
    assertEquals(List.of("artificialNoAnomaly/a.csv", "realKnownCause/a.csv"), names(splits.get("odd")));
  }

  @Test
  void oneKindIsNoSplitAndASplitWithoutAWindowIsLeftOut() {
    Map<String, List<NabFile>> splits = FixedSplits.of(List.of(file("smap/A-1.csv", true), file("smap/A-2.csv", false)));

    // A-1 is at position 1 (odd) with the window; A-2 alone at an even position has none.
    assertEquals(List.of("odd"), List.copyOf(splits.keySet()));
  }
}
