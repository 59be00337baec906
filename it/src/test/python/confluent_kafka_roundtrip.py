"""confluent-kafka-python (Debian python3-confluent-kafka, librdkafka): produce COUNT records to
partition 0 with an idempotent producer, read them back with assign().

Prints one tab-separated line per acknowledgement ("produced <offset>") and per record read
("consumed <offset> <key> <value>"); exits non-zero on any error.
"""
import argparse
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout-s", type=float, default=60)
    args = parser.parse_args()

    acknowledged = []
    errors = []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            acknowledged.append(msg.offset())

    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all", "enable.idempotence": True,
                         "compression.type": "lz4", "linger.ms": 5, "message.timeout.ms": 30000})
    for i in range(args.count):
        producer.produce(args.topic, partition=0, key=b"key-%d" % i, value=b"value-%d" % i,
                         headers=[("source", b"confluent-kafka")], on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(args.timeout_s)
    if remaining or errors:
        print("%d undelivered, errors: %s" % (remaining, errors[:10]), file=sys.stderr)
        return 1
    for offset in acknowledged:
        print("produced\t%d" % offset)

    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "it-confluent-kafka",
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(args.topic, 0, OFFSET_BEGINNING)])
    read = 0
    deadline = time.monotonic() + args.timeout_s
    while read < args.count:
        if time.monotonic() > deadline:
            print("read only %d of %d records within %ss" % (read, args.count, args.timeout_s), file=sys.stderr)
            return 1
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            print("consumer error: %s" % msg.error(), file=sys.stderr)
            return 1
        if dict(msg.headers() or []).get("source") != b"confluent-kafka":
            print("record %d has headers %r" % (msg.offset(), msg.headers()), file=sys.stderr)
            return 1
        print("consumed\t%d\t%s\t%s" % (msg.offset(), msg.key().decode(), msg.value().decode()))
        read += 1
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
