package io.streamlstm.detect.nab;

import java.util.List;

/** How much NAB rewards a true positive and charges a missed window and a false positive. */
public record NabProfile(String name, double tp, double fn, double fp) {

  public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 1.0, 0.11);
  public static final NabProfile LOW_FP = new NabProfile("reward_low_FP_rate", 1.0, 1.0, 0.22);
  public static final NabProfile LOW_FN = new NabProfile("reward_low_FN_rate", 1.0, 2.0, 0.11);

  public static final List<NabProfile> ALL = List.of(STANDARD, LOW_FP, LOW_FN);
}
