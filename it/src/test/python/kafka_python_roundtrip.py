"""kafka-python (Debian python3-kafka 2.0.2): produce COUNT records to partition 0, read them back.

Prints one tab-separated line per acknowledgement ("produced <offset>") and per record read
("consumed <offset> <key> <value>"); exits non-zero on any error.
"""
import argparse
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout-s", type=float, default=60)
    args = parser.parse_args()

    producer = KafkaProducer(bootstrap_servers=[args.bootstrap], acks="all", linger_ms=5,
                             request_timeout_ms=15000, max_block_ms=30000)
    futures = [producer.send(args.topic, partition=0, key=b"key-%d" % i, value=b"value-%d" % i,
                             headers=[("source", b"kafka-python")])
               for i in range(args.count)]
    producer.flush(timeout=args.timeout_s)
    for future in futures:
        print("produced\t%d" % future.get(timeout=args.timeout_s).offset)
    producer.close(timeout=10)

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap], enable_auto_commit=False,
                             auto_offset_reset="earliest", request_timeout_ms=30000)
    tp = TopicPartition(args.topic, 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    read = 0
    deadline = time.monotonic() + args.timeout_s
    while read < args.count:
        if time.monotonic() > deadline:
            print("read only %d of %d records within %ss" % (read, args.count, args.timeout_s), file=sys.stderr)
            return 1
        for record in consumer.poll(timeout_ms=500).get(tp, []):
            headers = dict(record.headers)
            if headers.get("source") != b"kafka-python":
                print("record %d has headers %r" % (record.offset, record.headers), file=sys.stderr)
                return 1
            print("consumed\t%d\t%s\t%s" % (record.offset, record.key.decode(), record.value.decode()))
            read += 1
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
