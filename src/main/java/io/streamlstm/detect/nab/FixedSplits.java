package io.streamlstm.detect.nab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The splits of a corpus that every detection change is judged on besides the whole, fixed before looking at any
 * score: by kind of series, and the files at even and at odd positions in name order. A change that helps the whole
 * but not its splits lives in a few files. The kind is the category's first word ({@code artificialNoAnomaly} and
 * {@code artificialWithAnomaly} are both {@code artificial}; {@code smap}, {@code msl}), split only where there are
 * several. A split without a labelled window cannot be normalised by NAB's rules and is left out.
 */
public final class FixedSplits {

  private FixedSplits() {}

  /** The splits of {@code corpus}, in name order of its files, kinds first, then even and odd. */
  public static Map<String, List<NabFile>> of(List<NabFile> corpus) {
    Map<String, List<NabFile>> byKind = new LinkedHashMap<>();
    List<NabFile> sorted = new ArrayList<>(corpus);
    sorted.sort((a, b) -> a.name().compareTo(b.name()));
    for (NabFile f : sorted) byKind.computeIfAbsent(kind(f.name()), k -> new ArrayList<>()).add(f);
    Map<String, List<NabFile>> splits = new LinkedHashMap<>();
    if (byKind.size() > 1) splits.putAll(byKind);
    List<NabFile> even = new ArrayList<>();
    List<NabFile> odd = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) (i % 2 == 1 ? even : odd).add(sorted.get(i)); // i counts from 0: position i + 1
    splits.put("even", even);
    splits.put("odd", odd);
    splits.values().removeIf(files -> files.stream().allMatch(f -> f.windows().length == 0));
    return splits;
  }

  /** The category's first word: its name up to the first capital letter. */
  static String kind(String name) {
    int slash = name.indexOf('/');
    String category = slash < 0 ? "" : name.substring(0, slash);
    int end = 1;
    while (end < category.length() && !Character.isUpperCase(category.charAt(end))) end++;
    return category.substring(0, Math.min(end, category.length()));
  }
}
