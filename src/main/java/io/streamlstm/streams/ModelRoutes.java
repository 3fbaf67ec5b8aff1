package io.streamlstm.streams;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which named model scores which sensor: routes from sensor-id globs to model names, tried in order, the first
 * match winning; a sensor no route matches goes to the default model ({@code streamlstm.model.name}). Written
 * {@code pump-*=pumps,valve-*=valves}: entries separated by commas, each a {@link SensorIdGlob}, {@code =} and a
 * model name (the model topic's record key).
 */
public final class ModelRoutes {

  /** One entry: sensors matching {@code glob} are scored by the model named {@code model}. */
  public record Route(SensorIdGlob glob, String model) {}

  public static final ModelRoutes NONE = new ModelRoutes(List.of());

  private final List<Route> routes;
  private final SensorIdGlob[] globs;

  private ModelRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
    this.globs = routes.stream().map(Route::glob).toArray(SensorIdGlob[]::new);
  }

  /**
   * Reads {@code pump-*=pumps,valve-*=valves}; blank text is no routes.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code glob=name}, or a glob given twice
   */
  public static ModelRoutes parse(String text) {
    if (text == null || text.isBlank()) return NONE;
    final List<Route> routes = new ArrayList<>();
    final Set<SensorIdGlob> seen = new LinkedHashSet<>();
    final String[] entries = text.split(",", -1);
    for (int k = 0; k < entries.length; k++) {
      final String entry = entries[k].strip();
      final int equals = entry.lastIndexOf('=');
      final String where = "route " + (k + 1) + " '" + entry + "'";
      if (equals < 0) throw new IllegalArgumentException(where + " is not glob=model (e.g. pump-*=pumps)");
      final String glob = entry.substring(0, equals).strip();
      final String model = entry.substring(equals + 1).strip();
      if (glob.isEmpty()) throw new IllegalArgumentException(where + " has no sensor-id glob before '='");
      if (model.isEmpty()) throw new IllegalArgumentException(where + " has no model name after '='");
      final SensorIdGlob compiled = SensorIdGlob.of(glob);
      if (!seen.add(compiled)) throw new IllegalArgumentException(where + ": " + glob + " is routed twice");
      routes.add(new Route(compiled, model));
    }
    return new ModelRoutes(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  /** The index of the first route whose glob matches {@code sensorId}, or -1 when none does. */
  public int firstMatch(String sensorId) {
    for (int k = 0; k < globs.length; k++) {
      if (globs[k].matches(sensorId)) return k;
    }
    return -1;
  }

  /** The model scoring {@code sensorId}: the first matching route's, else {@code defaultModel}. */
  public String modelOf(String sensorId, String defaultModel) {
    final int route = firstMatch(sensorId);
    return route < 0 ? defaultModel : routes.get(route).model();
  }

  /** The text form, as {@link #parse} reads it. */
  @Override
  public String toString() {
    final List<String> entries = new ArrayList<>(routes.size());
    for (Route route : routes) entries.add(route.glob() + "=" + route.model());
    return String.join(",", entries);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ModelRoutes that && that.routes.equals(routes);
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }
}
