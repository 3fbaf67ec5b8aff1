package io.streamlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way, app → streams → detect → lstm, and only the outer layers know Kafka.
 * Read from the sources' imports (and fully qualified names), so a wrong arrow fails the build.
 */
class ArchitectureTest {

  private static final Path MAIN = Path.of("src/main/java/io/streamlstm");
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.streamlstm\\.(\\w+)|org\\.apache\\.kafka)\\b");

  @Test
  void lstmKnowsNothingAboveItNorKafka() throws IOException {
    assertEquals(List.of(), violations("lstm", List.of("detect", "streams", "app", "kafka")));
  }

  @Test
  void detectKnowsOnlyLstm() throws IOException {
    assertEquals(List.of(), violations("detect", List.of("streams", "app", "kafka")));
  }

  @Test
  void streamsNeverReachesIntoTheApp() throws IOException {
    assertEquals(List.of(), violations("streams", List.of("app")));
  }

  /** Lines of package {@code layer} that name one of {@code forbidden} (a package, or "kafka"). */
  private static List<String> violations(String layer, List<String> forbidden) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN.resolve(layer))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
          Matcher m = REFERENCE.matcher(lines.get(n));
          while (m.find()) {
            String target = m.group(2) != null ? m.group(2) : "kafka";
            if (forbidden.contains(target)) found.add(MAIN.relativize(file) + ":" + (n + 1) + ": " + lines.get(n).strip());
          }
        }
      }
    }
    return found;
  }
}
