package io.streamlstm.streams;

/** A record that cannot be read as a sensor reading at all; the message says what is wrong with it. */
public final class BadReadingException extends Exception {

  public BadReadingException(String message) {
    super(message, null, false, false);
  }
}
