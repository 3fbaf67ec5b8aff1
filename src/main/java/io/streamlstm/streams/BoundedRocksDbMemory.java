package io.streamlstm.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in this JVM together, as Kafka Streams' memory guide
 * describes: one block cache shared by all stores, with their memtables, index and filter blocks charged to
 * it. By Kafka Streams' own defaults each store of each partition has a 50 MiB cache and up to three 16 MiB
 * memtables of its own, so the bound grew with the partitions an instance holds (six stores here, so about
 * 600 MiB a partition at most) and was nowhere written down.
 *
 * <p>The bound is {@value #MEMORY_MB} (MiB) from the Kafka Streams settings, default
 * {@value #DEFAULT_MEMORY_MB}; memtables take at most half of it. A store larger than the cache reads from
 * the operating system's page cache, outside the bound and outside the process's resident memory.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** The key, among the Kafka Streams settings, of the bound in MiB. */
  public static final String MEMORY_MB = "streamlstm.rocksdb.memory.mb";
  public static final long DEFAULT_MEMORY_MB = 128;
  /** Index and filter blocks stay cached ahead of data blocks: without them every read goes to the file. */
  private static final double INDEX_AND_FILTER_SHARE = 0.1;

  /** One cache and memtable budget per bound asked for, shared by every store of the JVM that asks for it. */
  private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

  private record Shared(Cache cache, WriteBufferManager memtables) {

    static Shared of(long bytes) {
      // Not a strict limit: with one, a read fails outright when pinned blocks fill the cache.
      final Cache cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_SHARE);
      return new Shared(cache, new WriteBufferManager(bytes / 2, cache));
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    final long bytes = memoryMb(configs.get(MEMORY_MB)) << 20;
    final Shared shared = SHARED.computeIfAbsent(bytes, Shared::of);
    // Kafka Streams' own table config (its BloomFilter included), with the shared cache in place of its own.
    final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(shared.memtables());
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the memtable budget outlive any one store: other stores of this JVM share them.
  }

  /** The bound in MiB from its setting's value (text from a properties file, a number from code), or the default. */
  public static long memoryMb(Object value) {
    if (value == null) return DEFAULT_MEMORY_MB;
    final long mb;
    try {
      mb = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MEMORY_MB + " must be a whole number of MiB, got '" + value + "'", e);
    }
    if (mb < 1) throw new IllegalArgumentException(MEMORY_MB + " must be >= 1, got " + mb);
    return mb;
  }
}
