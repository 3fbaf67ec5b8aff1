package io.streamlstm.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streamlstm.detect.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-sensor series (likelihood, value against the expected band, anomaly count) for a bounded set of
 * sensors: the allow-listed ones plus the {@code topK} most anomalous others. A fleet has far more
 * sensors than Prometheus wants series, so everything else is seen only in the fleet-wide meters.
 *
 * <p>"Most anomalous" is a sensor's peak likelihood, decaying with half-life {@code halfLife}, so a
 * sensor that calmed down gives its slot to one that has not. A slot is held at least {@code minDwell}
 * so the series do not flap (at most {@code topK} replacements per dwell time).
 *
 * <p>Called on stream threads: a sensor already tracked costs a map lookup and a few volatile writes;
 * an untracked one a lookup and one comparison against the entry bar. Only a sensor that clears the
 * bar takes the lock and registers meters.
 */
final class SensorSeries {

  /** A sensor has this many channels at most in the per-sensor series; more are not shown. */
  static final int MAX_CHANNELS = 8;

  private final MeterRegistry registry;
  private final Set<String> allowList;
  private final int topK;
  private final double decayPerMilli;
  private final long minDwellMillis;
  private final LongSupplier clockMillis;

  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  /** The ranked (top-K) sensors; guarded by {@code this}. Allow-listed sensors are never here. */
  private final List<Tracked> ranked = new ArrayList<>();
  /** Decayed score a newcomer must beat, as of {@code barMillis}; -inf while a slot is free. */
  private volatile double bar = Double.NEGATIVE_INFINITY;
  private volatile long barMillis;

  SensorSeries(MeterRegistry registry, Set<String> allowList, int topK, java.time.Duration halfLife,
      java.time.Duration minDwell, LongSupplier clockMillis) {
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    this.registry = registry;
    this.allowList = Set.copyOf(allowList);
    this.topK = topK;
    this.decayPerMilli = Math.log(2) / Math.max(1, halfLife.toMillis());
    this.minDwellMillis = minDwell.toMillis();
    this.clockMillis = clockMillis;
    Gauge.builder("streamlstm.sensors.tracked", tracked, Map::size)
        .description("Sensors that have per-sensor series (allow-list plus top-K most anomalous)")
        .register(registry);
  }

  /** Records one scored reading; {@code score} may be null when only the likelihood is known. */
  void record(String sensorId, double likelihood, boolean anomaly, Score score) {
    Tracked t = tracked.get(sensorId);
    if (t == null) {
      t = admit(sensorId, likelihood);
      if (t == null) {
        return;
      }
    }
    t.update(likelihood, anomaly, score, clockMillis.getAsLong());
  }

  /** Counts an episode opened on a sensor with series (its flagged reading was recorded just before). */
  void episodeOpened(String sensorId) {
    final Tracked t = tracked.get(sensorId);
    if (t != null) t.episodes.increment();
  }

  int size() {
    return tracked.size();
  }

  private Tracked admit(String sensorId, double likelihood) {
    if (allowList.contains(sensorId)) {
      return tracked.computeIfAbsent(sensorId, id -> new Tracked(id, clockMillis.getAsLong()));
    }
    long now = clockMillis.getAsLong();
    if (topK == 0 || likelihood <= decayed(bar, barMillis, now)) {
      return null;
    }
    synchronized (this) {
      Tracked already = tracked.get(sensorId);
      if (already != null) {
        return already;
      }
      if (ranked.size() >= topK) {
        Tracked weakest = weakestEvictable(now);
        if (weakest == null || likelihood <= weakest.score(now)) {
          updateBar(now);
          return null;
        }
        ranked.remove(weakest);
        tracked.remove(weakest.sensorId);
        weakest.removeMeters();
      }
      Tracked t = new Tracked(sensorId, now);
      ranked.add(t);
      tracked.put(sensorId, t);
      updateBar(now);
      return t;
    }
  }

  /** The ranked sensor with the lowest decayed score among those past their dwell time. */
  private Tracked weakestEvictable(long now) {
    Tracked weakest = null;
    for (Tracked t : ranked) {
      if (now - t.sinceMillis >= minDwellMillis
          && (weakest == null || t.score(now) < weakest.score(now))) {
        weakest = t;
      }
    }
    return weakest;
  }

  private void updateBar(long now) {
    double min = Double.POSITIVE_INFINITY;
    if (ranked.size() < topK) {
      min = Double.NEGATIVE_INFINITY;
    } else {
      for (Tracked t : ranked) {
        // A slot still in its dwell time cannot be taken: it does not lower the bar.
        if (now - t.sinceMillis >= minDwellMillis) {
          min = Math.min(min, t.score(now));
        }
      }
      if (min == Double.POSITIVE_INFINITY) {
        // Every slot is dwelling: let the next candidate in to re-check once the dwell is over.
        min = Double.NEGATIVE_INFINITY;
      }
    }
    barMillis = now;
    bar = min;
  }

  private double decayed(double score, long sinceMillis, long now) {
    return score * Math.exp(-decayPerMilli * Math.max(0, now - sinceMillis));
  }

  /** One sensor's gauges; fields are written by stream threads and read by the scrape. */
  private final class Tracked {
    final String sensorId;
    final long sinceMillis;
    final List<Meter> meters = new ArrayList<>();
    final Counter anomalies;
    final Counter episodes;
    volatile double likelihood = Double.NaN;
    volatile double peak;
    volatile long peakMillis;
    /** Per channel: value, expected, lower, upper; created on the first full score. */
    volatile double[][] band;
    /** Set once its meters are removed, so a late reading cannot register new ones. */
    boolean evicted;

    Tracked(String sensorId, long sinceMillis) {
      this.sensorId = sensorId;
      this.sinceMillis = sinceMillis;
      this.peakMillis = sinceMillis;
      Tags tags = Tags.of("sensor", sensorId);
      meters.add(Gauge.builder("streamlstm.sensor.likelihood", this, t -> t.likelihood)
          .tags(tags).description("Anomaly likelihood of the sensor's latest reading")
          .register(registry));
      anomalies = Counter.builder("streamlstm.sensor.anomalies").tags(tags)
          .description("Anomalies flagged for this sensor").register(registry);
      meters.add(anomalies);
      episodes = Counter.builder("streamlstm.sensor.episodes.opened").tags(tags)
          .description("Anomaly episodes opened on this sensor").register(registry);
      meters.add(episodes);
    }

    double score(long now) {
      return decayed(peak, peakMillis, now);
    }

    void update(double likelihood, boolean anomaly, Score score, long now) {
      this.likelihood = likelihood;
      double current = score(now);
      if (likelihood >= current) {
        peak = likelihood;
        peakMillis = now;
      }
      if (anomaly) {
        anomalies.increment();
      }
      if (score != null) {
        updateBand(score);
      }
    }

    private void updateBand(Score score) {
      double[][] b = band;
      int channels = Math.min(MAX_CHANNELS, score.channels().length);
      if (b == null) {
        b = registerBand(score.channels(), channels);
      }
      for (int c = 0; c < Math.min(channels, b.length); c++) {
        b[c] = new double[] {
            score.values()[c], score.expected()[c], score.lower()[c], score.upper()[c]};
      }
    }

    private synchronized double[][] registerBand(String[] channelNames, int channels) {
      if (band != null) {
        return band;
      }
      if (evicted) {
        return new double[0][];
      }
      double[][] b = new double[channels][];
      String[] names = {"value", "expected", "lower", "upper"};
      String[] help = {
          "Latest reading", "Value the model predicted", "Lower edge of the expected band",
          "Upper edge of the expected band"};
      for (int c = 0; c < channels; c++) {
        b[c] = new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Tags tags = Tags.of("sensor", sensorId, "channel", channelNames[c]);
        for (int k = 0; k < names.length; k++) {
          final int channel = c;
          final int kind = k;
          meters.add(Gauge.builder("streamlstm.sensor." + names[k], this,
                  t -> t.band[channel][kind])
              .tags(tags).description(help[k]).register(registry));
        }
      }
      band = b;
      return b;
    }

    synchronized void removeMeters() {
      evicted = true;
      for (Meter m : meters) {
        registry.remove(m);
      }
    }
  }
}
