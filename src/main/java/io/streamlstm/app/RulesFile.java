package io.streamlstm.app;

import io.streamlstm.detect.alerts.RuleSet;
import io.streamlstm.streams.RulesParser;
import io.streamlstm.streams.ScoringObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's rules file ({@link RulesParser}): read at start, where a bad file stops the start, then re-read
 * every few seconds, without a restart. A changed file that does not parse is refused as a whole (logged with its
 * line numbers, counted) and the rules before it stay in effect. The rules are asked at each flagged reading, so a
 * change takes effect at the next one; a replay given the same file judges alike.
 */
public final class RulesFile implements Supplier<RuleSet>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RulesFile.class);
  /** How often the file is looked at: reading a small file costs nothing worth a watch service. */
  static final Duration EVERY = Duration.ofSeconds(5);

  private final Path file;
  private final ScoringObserver observer;
  private final ScheduledExecutorService watcher;
  private volatile RuleSet rules;
  /** The content last read, in effect or refused: the same bytes are not judged twice. */
  private byte[] lastRead;

  private RulesFile(Path file, ScoringObserver observer, RuleSet rules, byte[] content, Duration every) {
    this.file = file;
    this.observer = observer;
    this.rules = rules;
    this.lastRead = content;
    watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      final Thread thread = new Thread(runnable, "streamlstm-rules");
      thread.setDaemon(true);
      return thread;
    });
    watcher.scheduleWithFixedDelay(this::reload, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads {@code file} and watches it every {@link #EVERY}; a missing or bad file is an IllegalArgumentException. */
  public static RulesFile watch(Path file, ScoringObserver observer) {
    return watch(file, observer, EVERY);
  }

  static RulesFile watch(Path file, ScoringObserver observer, Duration every) {
    final byte[] content = content(file);
    final RuleSet rules = parse(file, content);
    LOG.info("Rules file {}: {} rules in effect", file, rules.size());
    observer.rulesLoaded(rules.size());
    return new RulesFile(file, observer, rules, content, every);
  }

  /** Reads a rules file once, for the offline commands; a missing or bad file is an IllegalArgumentException. */
  public static RuleSet read(Path file) {
    return parse(file, content(file));
  }

  private static byte[] content(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such rules file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read rules file " + file + ": " + e.getMessage());
    }
  }

  private static RuleSet parse(Path file, byte[] content) {
    try {
      return RulesParser.parse(new String(content, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rules file " + file + " refused: " + e.getMessage());
    }
  }

  @Override
  public RuleSet get() {
    return rules;
  }

  /** Re-reads the file; a change that parses takes effect, one that does not is refused. */
  void reload() {
    final byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      refuse(null, "cannot read it (" + e + ")");
      return;
    }
    if (Arrays.equals(content, lastRead)) return;
    try {
      final RuleSet read = RulesParser.parse(new String(content, StandardCharsets.UTF_8));
      lastRead = content;
      rules = read;
      LOG.info("Rules file {} changed: {} rules in effect", file, read.size());
      observer.rulesLoaded(read.size());
    } catch (IllegalArgumentException e) {
      refuse(content, e.getMessage());
    }
  }

  private void refuse(byte[] content, String why) {
    if (content == null && lastRead == null) return; // still unreadable: said already
    lastRead = content;
    LOG.warn("Rules file {} refused, the {} rules before it stay in effect: {}", file, rules.size(), why);
    observer.rulesRefused(why);
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
