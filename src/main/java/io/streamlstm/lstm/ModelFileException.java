package io.streamlstm.lstm;

/** A model file that cannot be used: the message is one line saying which file and why. */
public final class ModelFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public ModelFileException(String message) {
    super(message);
  }
}
