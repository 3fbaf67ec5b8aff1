package io.streamlstm.detect.nab;

import io.streamlstm.detect.nab.NabScorer.FileScore;
import io.streamlstm.detect.nab.NabScorer.ProfileScore;
import java.util.List;
import java.util.Locale;

/** The scores of one run as Markdown: one line per profile, then one line per file. */
public final class NabReport {

  private NabReport() {}

  public static String markdown(List<ProfileScore> profiles) {
    StringBuilder md = new StringBuilder();
    md.append("| profile | threshold | raw score | normalised | windows hit | windows missed | false positives |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (ProfileScore p : profiles) {
      int hit = 0, missed = 0, falsePositives = 0;
      for (FileScore f : p.files()) {
        hit += f.detectedWindows();
        missed += f.missedWindows();
        falsePositives += f.falsePositives();
      }
      md.append(format("| %s | %s | %.3f | **%.1f** | %d | %d | %d |%n",
          p.profile().name(), p.threshold(), p.raw(), p.normalised(), hit, missed, falsePositives));
    }
    md.append("\nPer file (score, then windows hit / missed and false positives at the profile's threshold):\n\n");
    md.append("| file |");
    for (ProfileScore p : profiles) md.append(' ').append(p.profile().name()).append(" |");
    md.append("\n|---|");
    md.append("---|".repeat(profiles.size())).append('\n');
    for (int f = 0; f < profiles.get(0).files().size(); f++) {
      md.append("| ").append(profiles.get(0).files().get(f).name()).append(" |");
      for (ProfileScore p : profiles) {
        FileScore s = p.files().get(f);
        md.append(format(" %.3f (%d/%d, %d FP) |",
            s.score(), s.detectedWindows(), s.missedWindows(), s.falsePositives()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
