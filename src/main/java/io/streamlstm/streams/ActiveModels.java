package io.streamlstm.streams;

import io.streamlstm.detect.Detector;
import io.streamlstm.detect.DetectorConfig;
import io.streamlstm.lstm.Model;
import io.streamlstm.lstm.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model every stream thread of this instance scores with. The model topic's global processor offers
 * new model files; the stream threads read {@link #current()} on each record, a volatile read, and build
 * their own {@link Detector} when it changed. A model that cannot be read or used is refused and the
 * current one kept, so a bad publish never stops scoring.
 */
public final class ActiveModel {

  private static final Logger LOG = LoggerFactory.getLogger(ActiveModel.class);

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
  private volatile Model current;

  /**
   * Starts with {@code shipped}, the model used while the model topic holds none.
   *
   * @throws IllegalArgumentException when the detector cannot use it: better at start than on the first reading
   */
  public ActiveModel(Model shipped, DetectorConfig config, ScoringObserver observer) {
    new Detector(shipped, config);
    this.shipped = shipped;
    this.config = config;
    this.observer = observer;
    this.current = shipped;
    observer.modelActivated(shipped.version());
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

  public Model current() {
    return current;
  }

  /** The settings every detector of this instance is built with. */
  public DetectorConfig detectorConfig() {
    return config;
  }

  /**
   * Follows one model record: a model file is activated if valid, a deletion (null) reverts to the
   * shipped model. Returns whether the record was taken, i.e. whether the model store should now hold it.
   */
  public boolean update(byte[] modelFileOrNull, String source) {
    if (modelFileOrNull == null) {
      activate(shipped);
      return true;
    }
    try {
      activate(validate(modelFileOrNull, source, config));
      return true;
    } catch (RefusedException e) {
      LOG.warn("Refused model ({}): {}; still scoring with model {}", e.reason(), e.getMessage(),
          current.version());
      observer.modelRefused(e.reason());
      return false;
    }
  }

  private void activate(Model model) {
    if (model.version().equals(current.version())) return;
    LOG.info("Scoring with model {} (was {})", model.version(), current.version());
    current = model;
    observer.modelActivated(model.version());
  }
}
