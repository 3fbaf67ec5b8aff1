package io.streamlstm.detect.nab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabWindowsTest {

  @Test
  void readsWindowsAndMapsThemToInclusiveRowRanges(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("combined_windows.json");
    Files.writeString(
        json,
        """
        {"cat/a.csv": [["2014-01-01 00:10:00.000000", "2014-01-01 00:20:00.000000"]],
         "cat/b.csv": []}
        """);
    NabWindows windows = NabWindows.read(json);
    assertEquals(0, windows.of("cat/b.csv").size());
    // Rows every 5 minutes from 00:00: 00:10 is row 2, 00:20 is row 4.
    long[] times = new long[8];
    long start = NabWindows.epochMillis("2014-01-01 00:00:00");
    for (int t = 0; t < times.length; t++) times[t] = start + t * 300_000L;
    assertArrayEquals(new int[][] {{2, 4}}, NabWindows.rows(times, windows.of("cat/a.csv")));
    // Window ends that fall between rows: the first row after the start, the last row before the end.
    long[] shifted = new long[8];
    for (int t = 0; t < shifted.length; t++) shifted[t] = times[t] + 60_000;
    assertArrayEquals(new int[][] {{2, 3}}, NabWindows.rows(shifted, windows.of("cat/a.csv")));
    assertThrows(IllegalArgumentException.class, () -> windows.of("cat/unknown.csv"));
  }
}
