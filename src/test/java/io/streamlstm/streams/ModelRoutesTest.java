package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ModelRoutesTest {

  @Test
  void aGlobMatchesAnyRunForAStarAndOneCharacterForAQuestionMark() {
    final SensorIdGlob pumps = SensorIdGlob.of("pump-*");
    assertTrue(pumps.matches("pump-7"));
    assertTrue(pumps.matches("pump-"));
    assertFalse(pumps.matches("pump"));
    assertFalse(pumps.matches("Pump-7"), "case counts");
    assertFalse(pumps.matches("xpump-7"));

    final SensorIdGlob temps = SensorIdGlob.of("*-temp");
    assertTrue(temps.matches("boiler-3-temp"));
    assertFalse(temps.matches("boiler-3-temp2"));

    final SensorIdGlob valves = SensorIdGlob.of("line-?-valve-*");
    assertTrue(valves.matches("line-4-valve-12"));
    assertFalse(valves.matches("line-42-valve-12"));

    final SensorIdGlob middle = SensorIdGlob.of("a*b*c");
    assertTrue(middle.matches("abc"));
    assertTrue(middle.matches("a-b-b-c"));
    assertTrue(middle.matches("abbc"));
    assertFalse(middle.matches("acb"));
    assertFalse(middle.matches("ab"), "the last part may not reuse the middle one's characters");

    assertTrue(SensorIdGlob.of("*").matches(""));
    assertTrue(SensorIdGlob.of("exact").matches("exact"));
    assertFalse(SensorIdGlob.of("exact").matches("exactly"));
    assertThrows(IllegalArgumentException.class, () -> SensorIdGlob.of(" "));
  }

  /** The compiled matcher agrees with the same glob as a regular expression, on random ids and patterns. */
  @Test
  void aGlobAgreesWithItsRegularExpression() {
    final SplittableRandom random = new SplittableRandom(3);
    final String alphabet = "ab-";
    for (int k = 0; k < 20_000; k++) {
      final String glob = randomText(random, "ab-*?", 1 + random.nextInt(6));
      final String id = randomText(random, alphabet, random.nextInt(9));
      final Pattern regex = Pattern.compile(glob.replace("-", "\\-").replace("?", ".").replace("*", ".*"));
      assertEquals(regex.matcher(id).matches(), SensorIdGlob.of(glob).matches(id), glob + " on '" + id + "'");
    }
  }

  private static String randomText(SplittableRandom random, String alphabet, int length) {
    final StringBuilder out = new StringBuilder();
    for (int k = 0; k < length; k++) out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return out.toString();
  }

  @Test
  void theFirstMatchingRouteWinsAndTheRestGoToTheDefault() {
    final ModelRoutes routes = ModelRoutes.parse(" pump-*=pumps , pump-big-*=big-pumps,valve-*=valves");
    assertEquals("pumps", routes.modelOf("pump-big-1", "default"), "first match, not the most specific");
    assertEquals("valves", routes.modelOf("valve-3", "default"));
    assertEquals("default", routes.modelOf("boiler-1", "default"));
    assertEquals(2, routes.firstMatch("valve-3"));
    assertEquals(-1, routes.firstMatch("boiler-1"));
    assertEquals("pump-*=pumps,pump-big-*=big-pumps,valve-*=valves", routes.toString());
    assertEquals(routes, ModelRoutes.parse(routes.toString()));
  }

  @Test
  void noTextIsNoRoutes() {
    assertSame(ModelRoutes.NONE, ModelRoutes.parse(null));
    assertSame(ModelRoutes.NONE, ModelRoutes.parse("  "));
    assertEquals("default", ModelRoutes.NONE.modelOf("pump-1", "default"));
  }

  @Test
  void aBadEntryIsRefusedByItsNumberAndText() {
    for (List<String> bad : List.of(
        List.of("pump-*=pumps,valves", "route 2 'valves' is not glob=model"),
        List.of("pump-*=pumps,,valve-*=valves", "route 2 '' is not glob=model"),
        List.of("=pumps", "route 1 '=pumps' has no sensor-id glob"),
        List.of("pump-*= ", "route 1 'pump-*=' has no model name"),
        List.of("pump-*=pumps,pump-*=others", "route 2 'pump-*=others': pump-* is routed twice"))) {
      final IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ModelRoutes.parse(bad.get(0)), bad.get(0));
      assertTrue(e.getMessage().startsWith(bad.get(1)), e.getMessage());
    }
  }
}
