package io.streamlstm.detect.alerts;

import java.util.regex.Pattern;

/**
 * A sensor-id pattern as a shell writes one: {@code *} is any run of characters, {@code ?} one character, anything
 * else itself. It matches the whole id: {@code pump-*} matches {@code pump-7}, not {@code old-pump-7}.
 */
public record Glob(String text, Pattern regex) {

  public static Glob of(String text) {
    final StringBuilder regex = new StringBuilder();
    final StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
    return new Glob(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  public boolean matches(String sensorId) {
    return regex.matcher(sensorId).matches();
  }
}
