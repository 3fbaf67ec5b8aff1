package io.streamlstm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.lstm.Models;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbMemoryTest {

  @TempDir Path stateDir;

  @Test
  void everyStoreOfTheTopologyGetsOneSharedCacheOfTheBoundWithTheShippedSettings() {
    final Properties props = ScoringTopology.streamsDefaults();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(BoundedRocksDbMemory.MEMORY_MB, "48");
    final var topology = ScoringTopology.build(StreamSettings.defaults(), Models.loadDefault(), ScoringObserver.NONE);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      final List<Metric> capacities = driver.metrics().entrySet().stream()
          .filter(e -> e.getKey().name().equals("block-cache-capacity"))
          .<Metric>map(Map.Entry::getValue)
          .toList();
      // Six persistent stores (sensor states, episodes, silence, its timers, feedback, labels waiting), each
      // reporting the shared cache.
      assertEquals(6, capacities.size(), capacities.toString());
      for (Metric capacity : capacities) {
        assertEquals(48.0 * (1 << 20), ((Number) capacity.metricValue()).doubleValue(), capacity.metricName().toString());
      }
    }
  }

  @Test
  void storesAskingForTheSameBoundShareOneBudgetAndTheirIndexesCountInIt() {
    final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
    try (Options first = withTableConfig(); Options second = withTableConfig(); Options other = withTableConfig()) {
      setter.setConfig("sensor-state", first, Map.of(BoundedRocksDbMemory.MEMORY_MB, "32"));
      setter.setConfig("episodes", second, Map.of(BoundedRocksDbMemory.MEMORY_MB, 32));
      setter.setConfig("silence", other, Map.of(BoundedRocksDbMemory.MEMORY_MB, "16"));
      assertSame(first.writeBufferManager(), second.writeBufferManager());
      assertNotSame(first.writeBufferManager(), other.writeBufferManager(), "another bound, another budget");
      final BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
      assertTrue(table.cacheIndexAndFilterBlocks(), "index and filter blocks are charged to the cache");
      assertTrue(table.pinTopLevelIndexAndFilter());
      setter.close("sensor-state", first);
      setter.setConfig("episodes-2", other, Map.of(BoundedRocksDbMemory.MEMORY_MB, "32"));
      assertSame(second.writeBufferManager(), other.writeBufferManager(), "a closed store leaves the budget to the rest");
    }
  }

  @Test
  void theBoundIsAWholePositiveNumberOfMebibytes() {
    assertEquals(BoundedRocksDbMemory.DEFAULT_MEMORY_MB, BoundedRocksDbMemory.memoryMb(null));
    assertEquals(256, BoundedRocksDbMemory.memoryMb(" 256 "));
    assertEquals(256, BoundedRocksDbMemory.memoryMb(256L));
    assertFalse(assertThrows(IllegalArgumentException.class, () -> BoundedRocksDbMemory.memoryMb("0.5"))
        .getMessage().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> BoundedRocksDbMemory.memoryMb(-1));
  }

  private static Options withTableConfig() {
    final Options options = new Options();
    options.setTableFormatConfig(new BlockBasedTableConfig());
    return options;
  }
}
