package io.streamlstm.streams;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named models this instance scores with, and which sensor each one scores ({@link ModelRoutes}). Every name
 * has a slot: the default model ({@code streamlstm.model.name}) is slot 0, then each model a route names. The model
 * topic's global processor offers new model files by name; the stream threads find a sensor's slot
 * ({@link #slotOf}) and read {@link #current(int)} on each record, a volatile read, and build their own
 * {@link Detector} for a slot when its model changed.
 *
 * <p>A name not (yet) published, or deleted, scores with the default model's, and that, until it is published,
 * with the shipped one: a route added before its model exists changes nothing until the model comes. A model that
 * cannot be read or used is refused and the name keeps its current one, so a bad publish never stops scoring.
 */
public final class ActiveModels {

  private static final Logger LOG = LoggerFactory.getLogger(ActiveModels.class);
  private static final int DEFAULT_SLOT = 0;

  /** A model file this service cannot score with; {@link #reason()} is given to {@link ScoringObserver#modelRefused}. */
  public static final class RefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final String reason;

    RefusedException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** {@code UNREADABLE} (not a valid model file) or {@code INCOMPATIBLE} (the detector cannot use it). */
    public String reason() {
      return reason;
    }
  }

  private final Model shipped;
  private final DetectorConfig config;
  private final ScoringObserver observer;
  private final ModelRoutes routes;
  private final List<String> names;
  /** The slot of each route's model, by route index. */
  private final int[] routeSlots;
  /** The model published under each slot's name, null while none is; guarded by {@code this}. */
  private final Model[] published;
  /** The model each slot scores with; replaced whole on a change, so a reader sees one consistent set. */
  private volatile Model[] active;

  /**
   * Starts every name with {@code shipped}, the model used while the model topic holds none.
   *
   * @throws IllegalArgumentException when the detector cannot use it: better at start than on the first reading
   */
  public ActiveModels(Model shipped, String defaultName, ModelRoutes routes, DetectorConfig config,
      ScoringObserver observer) {
    new Detector(shipped, config);
    this.shipped = shipped;
    this.config = config;
    this.observer = observer;
    this.routes = routes;
    final List<String> slots = new ArrayList<>(List.of(defaultName));
    routeSlots = new int[routes.routes().size()];
    for (int k = 0; k < routeSlots.length; k++) {
      final String name = routes.routes().get(k).model();
      if (!slots.contains(name)) slots.add(name);
      routeSlots[k] = slots.indexOf(name);
    }
    this.names = List.copyOf(slots);
    this.published = new Model[names.size()];
    final Model[] start = new Model[names.size()];
    Arrays.fill(start, shipped);
    this.active = start;
    for (String name : names) observer.modelActivated(name, shipped.version());
  }

  /**
   * The model in {@code modelFile} if a detector with {@code config} can score with it: the check the
   * service applies to every model record, and {@code model publish} before sending one.
   *
   * @throws RefusedException saying why not
   */
  public static Model validate(byte[] modelFile, String source, DetectorConfig config) {
    final Model model;
    try {
      model = ModelFile.decode(modelFile, source);
    } catch (RuntimeException e) {
      throw new RefusedException("UNREADABLE", e.getMessage());
    }
    try {
      new Detector(model, config); // the detector's own checks decide whether it can score with this model
    } catch (RuntimeException e) {
      throw new RefusedException("INCOMPATIBLE", source + ": " + e.getMessage());
    }
    return model;
  }

  /** The model names followed, the default one first: the slots. */
  public List<String> names() {
    return names;
  }

  public String name(int slot) {
    return names.get(slot);
  }

  /** Whether records of the model topic under {@code name} concern this instance. */
  public boolean follows(String name) {
    return names.contains(name);
  }

  /** The slot of the model scoring {@code sensorId}: its first matching route's, else the default model's. */
  public int slotOf(String sensorId) {
    final int route = routes.firstMatch(sensorId);
    return route < 0 ? DEFAULT_SLOT : routeSlots[route];
  }

  /** The model slot {@code slot} scores with now. */
  public Model current(int slot) {
    return active[slot];
  }

  /** The settings every detector of this instance is built with. */
  public DetectorConfig detectorConfig() {
    return config;
  }

  /**
   * Follows one model record for {@code name}: a model file is activated if valid, a deletion (null) reverts the
   * name to the default model (the default name itself to the shipped one). Returns whether the record was taken,
   * i.e. whether the model store should now hold it.
   */
  public synchronized boolean update(String name, byte[] modelFileOrNull, String source) {
    final int slot = names.indexOf(name);
    if (slot < 0) throw new IllegalArgumentException("model '" + name + "' is not followed (" + names + ")");
    if (modelFileOrNull == null) {
      published[slot] = null;
    } else {
      try {
        published[slot] = validate(modelFileOrNull, source, config);
      } catch (RefusedException e) {
        LOG.warn("Refused model '{}' ({}): {}; still scoring with model {}", name, e.reason(), e.getMessage(),
            active[slot].version());
        observer.modelRefused(name, e.reason());
        return false;
      }
    }
    activatePublished();
    return true;
  }

  /** Makes each slot score with its published model, else the default's, else the shipped one; reports changes. */
  private void activatePublished() {
    final Model fallback = published[DEFAULT_SLOT] != null ? published[DEFAULT_SLOT] : shipped;
    final Model[] before = active;
    final Model[] next = new Model[names.size()];
    for (int slot = 0; slot < next.length; slot++) {
      final Model wanted = published[slot] != null ? published[slot] : fallback;
      // The same version is the same model: keeping the instance spares the stream threads a new detector.
      next[slot] = wanted.version().equals(before[slot].version()) ? before[slot] : wanted;
    }
    active = next;
    for (int slot = 0; slot < next.length; slot++) {
      if (next[slot] == before[slot]) continue;
      LOG.info("Model '{}': scoring with {} (was {})", names.get(slot), next[slot].version(), before[slot].version());
      observer.modelActivated(names.get(slot), next[slot].version());
    }
  }
}
