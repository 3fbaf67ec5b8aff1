package io.streamlstm.lstm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Where models come from besides a file given by the user. */
public final class Models {

  /** The shipped default model on the classpath; its metadata {@code command} is the command that made it. */
  public static final String DEFAULT_RESOURCE = "/io/streamlstm/default-model.lstm";

  private Models() {}

  /** A fresh copy of the default model (its parameters are the caller's own). */
  public static Model loadDefault() {
    try (InputStream in = Models.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) throw new IllegalStateException("default model missing from the classpath: " + DEFAULT_RESOURCE);
      return ModelFile.decode(in.readAllBytes(), "classpath:" + DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read default model " + DEFAULT_RESOURCE, e);
    }
  }
}
