// Writes test records with Java's own KafkaProducer (kafka-clients of the broker's version), one
// producer per compression type, for the integration test of compressed batches
// (compressed-batches.integration.test.ts). Run with the JDK's source launcher:
//   java -cp '<broker libs>/*' compressed-producer.java <bootstrap> <count> <topic>=<compression.type>...
// Record i: key "key-i", value expectedValue(i) (null for every tenth), header "seq" = "i".

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

class CompressedProducer {
  static String expectedValue(int index) {
    return index % 10 == 9 ? null : "value-" + index + "-" + "abcdefghij".repeat(1 + index % 9);
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int count = Integer.parseInt(args[1]);
    for (int argument = 2; argument < args.length; argument++) {
      String[] topicAndCodec = args[argument].split("=", 2);
      Properties properties = new Properties();
      properties.put("bootstrap.servers", bootstrap);
      properties.put("compression.type", topicAndCodec[1]);
      properties.put("acks", "all");
      properties.put("linger.ms", "20");
      properties.put("batch.size", "65536");
      properties.put("key.serializer", StringSerializer.class.getName());
      properties.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int index = 0; index < count; index++) {
          ProducerRecord<String, String> record = new ProducerRecord<>(topicAndCodec[0], 0, "key-" + index, expectedValue(index));
          record.headers().add("seq", Integer.toString(index).getBytes(StandardCharsets.UTF_8));
          sends.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) send.get(); // a failed send fails the run
      }
    }
  }
}
