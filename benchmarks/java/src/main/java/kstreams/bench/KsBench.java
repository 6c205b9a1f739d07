package kstreams.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Java Kafka Streams contender of the kstreams benchmark suite: one workload per run, written
 * with the DSL as a Kafka Streams user would (one stream thread, default configs plus what the
 * workload states). Usage: {@code KsBench <w1|w2|w3> key=value...} with bootstrap, input, output,
 * applicationId, stateDir, commitMs, guarantee, partitions (of the input) and records (input records to process).
 *
 * <p>It reports to the harness on stdout, one {@code @bench <json>} line per event: {@code running}
 * (first RUNNING state), {@code processed} (the last expected input record went through the
 * topology), {@code restored} (state restoration totals) and, after SIGTERM closed it,
 * {@code exit} with the process' CPU seconds and peak RSS from /proc/self.
 */
public final class KsBench {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KsBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int index = 1; index < args.length; index++) {
      String[] pair = args[index].split("=", 2);
      options.put(pair[0], pair[1]);
    }
    String workload = args[0];
    long records = Long.parseLong(options.get("records"));
    AtomicLong processed = new AtomicLong();
    Runnable onRecord = () -> {
      if (processed.incrementAndGet() == records) report("processed", "");
    };
    Topology topology = switch (workload) {
      case "w1" -> statelessTopology(options, onRecord);
      case "w2" -> countTopology(options, onRecord);
      case "w3" -> aggregateTopology(options, onRecord);
      default -> throw new IllegalArgumentException("unknown workload " + workload + ": use w1, w2 or w3");
    };
    KafkaStreams streams = new KafkaStreams(topology, config(options));
    streams.setGlobalStateRestoreListener(new RestoreTotals(Integer.parseInt(options.get("partitions"))));
    streams.setStateListener((next, previous) -> {
      if (next == KafkaStreams.State.RUNNING) report("running", "");
      if (next == KafkaStreams.State.ERROR) report("error", ",\"message\":\"the application went to ERROR\"");
    });
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Leave the group, as kstreams does on close: the W5 restart would otherwise wait out the
      // old member's session timeout (45 s) before it gets its tasks.
      streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(60)));
      report("exit", String.format(Locale.ROOT, ",\"cpuSeconds\":%.3f,\"peakRssMb\":%.1f", cpuSeconds(), peakRssMb()));
      closed.countDown();
    }));
    streams.start();
    closed.await();
  }

  private static Properties config(Map<String, String> options) {
    Properties properties = new Properties();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, options.get("applicationId"));
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("bootstrap"));
    properties.put(StreamsConfig.STATE_DIR_CONFIG, options.get("stateDir"));
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.get("commitMs"));
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.get("guarantee"));
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    return properties;
  }

  /** W1: JSON values; filter drops every tenth sequence number, map adds a field. */
  private static Topology statelessTopology(Map<String, String> options, Runnable onRecord) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<JsonNode> json = Serdes.serdeFrom(new JsonSerializer(), new JsonDeserializer());
    builder.stream(options.get("input"), Consumed.with(Serdes.String(), json))
        .peek((key, value) -> onRecord.run())
        .filter((key, value) -> value.get("seq").asLong() % 10 != 0)
        .mapValues(value -> (JsonNode) ((ObjectNode) value).put("processed", true))
        .to(options.get("output"), Produced.with(Serdes.String(), json));
    return builder.build();
  }

  /** W2: count per key in a cached persistent (RocksDB) store, updates to the output topic. */
  private static Topology countTopology(Map<String, String> options, Runnable onRecord) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, byte[]> input = builder.stream(options.get("input"), Consumed.with(Serdes.String(), Serdes.ByteArray()));
    input.peek((key, value) -> onRecord.run())
        .groupByKey()
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts").withValueSerde(Serdes.Long()))
        .toStream()
        .to(options.get("output"), Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  /** W3: count, sum of "amount" and last value per key; the aggregate is count, sum (8 B each) and the last value. */
  private static Topology aggregateTopology(Map<String, String> options, Runnable onRecord) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<byte[]> bytes = Serdes.ByteArray();
    builder.stream(options.get("input"), Consumed.with(Serdes.String(), bytes))
        .peek((key, value) -> onRecord.run())
        .groupByKey()
        .aggregate(() -> null, (key, value, aggregate) -> aggregate(aggregate, value),
            Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as("aggregates").withValueSerde(bytes))
        .toStream()
        .to(options.get("output"), Produced.with(Serdes.String(), bytes));
    return builder.build();
  }

  private static byte[] aggregate(byte[] previous, byte[] value) {
    long amount;
    try {
      amount = MAPPER.readTree(value).get("amount").asLong();
    } catch (IOException error) {
      throw new IllegalStateException("input value is not JSON", error);
    }
    ByteBuffer next = ByteBuffer.allocate(16 + value.length);
    if (previous == null) {
      next.putLong(1).putLong(amount);
    } else {
      ByteBuffer old = ByteBuffer.wrap(previous);
      next.putLong(old.getLong() + 1).putLong(old.getLong() + amount);
    }
    return next.put(value).array();
  }

  /** Reports restoration totals once every store partition (one per input partition) has finished restoring. */
  private static final class RestoreTotals implements StateRestoreListener {
    private final int partitions;
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private volatile long startedAt;

    RestoreTotals(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public synchronized void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
      if (startedAt == 0) startedAt = System.currentTimeMillis();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
      long total = restored.addAndGet(totalRestored);
      if (ended.incrementAndGet() == partitions) {
        report("restored", String.format(Locale.ROOT, ",\"records\":%d,\"startedAt\":%d", total, startedAt));
      }
    }
  }

  private static synchronized void report(String event, String fields) {
    System.out.println("@bench {\"event\":\"" + event + "\",\"at\":" + System.currentTimeMillis() + fields + "}");
    System.out.flush();
  }

  /** utime + stime of this process from /proc/self/stat, in seconds (USER_HZ is 100 on Linux). */
  private static double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException error) {
      return -1;
    }
  }

  /** VmHWM of this process from /proc/self/status, in MiB. */
  private static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    } catch (IOException error) {
      return -1;
    }
    return -1;
  }

  private static final class JsonSerializer implements Serializer<JsonNode> {
    @Override
    public byte[] serialize(String topic, JsonNode data) {
      try {
        return data == null ? null : MAPPER.writeValueAsBytes(data);
      } catch (IOException error) {
        throw new IllegalStateException(error);
      }
    }
  }

  private static final class JsonDeserializer implements Deserializer<JsonNode> {
    @Override
    public JsonNode deserialize(String topic, byte[] data) {
      try {
        return data == null ? null : MAPPER.readTree(data);
      } catch (IOException error) {
        throw new IllegalStateException(error);
      }
    }
  }
}
