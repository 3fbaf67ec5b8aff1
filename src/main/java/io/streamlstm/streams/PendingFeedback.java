package io.streamlstm.streams;

import io.streamlstm.detect.alerts.Feedback;
import io.streamlstm.detect.alerts.Label;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels of one sensor that have not taken effect yet, as the pending-feedback store keeps them, and one accepted
 * label on its way from the intake to the scoring task. A small format of its own, the first byte its version; each
 * label is its label code (0 normal, 1 anomaly), span and effective time.
 */
final class PendingFeedback {

  static final byte FORMAT = 1;
  private static final int ENTRY = 1 + 3 * Long.BYTES;

  private PendingFeedback() {}

  static byte[] encode(List<Feedback> labels) {
    final ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + labels.size() * ENTRY).put(FORMAT).putInt(labels.size());
    for (Feedback f : labels) {
      out.put((byte) f.label().ordinal()).putLong(f.fromMillis()).putLong(f.toMillis()).putLong(f.effectiveMillis());
    }
    return out.array();
  }

  static List<Feedback> decode(byte[] bytes) {
    if (bytes.length < 1 + Integer.BYTES || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("not pending feedback of format " + FORMAT + " (" + bytes.length + " bytes)");
    }
    try {
      final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      final int n = in.getInt();
      if (n < 0 || n * (long) ENTRY != in.remaining()) throw new IllegalArgumentException("pending feedback of " + n + " labels in " + bytes.length + " bytes");
      final List<Feedback> labels = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        final int code = in.get();
        if (code < 0 || code >= Label.values().length) throw new IllegalArgumentException("unknown label code " + code);
        labels.add(new Feedback(Label.values()[code], in.getLong(), in.getLong(), in.getLong()));
      }
      return labels;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("pending feedback truncated (" + bytes.length + " bytes)");
    }
  }
}
