"""Seed 002's reproduction: a kafka-python KafkaProducer(acks=1) sends to topics that do not exist
yet. Each first send must succeed without waiting for a timeout.

Prints "first-send <topic> <partition> <offset> <elapsed ms>" per topic; exits non-zero when a
send fails.
"""
import argparse
import sys
import time

from kafka import KafkaProducer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topics", required=True, help="comma-separated names of topics that do not exist")
    args = parser.parse_args()

    producer = KafkaProducer(bootstrap_servers=[args.bootstrap], acks=1)
    for topic in args.topics.split(","):
        started = time.monotonic()
        metadata = producer.send(topic, b"test").get(timeout=30)
        elapsed_ms = (time.monotonic() - started) * 1000
        print("first-send\t%s\t%d\t%d\t%d" % (topic, metadata.partition, metadata.offset, elapsed_ms))
    producer.flush()
    producer.close(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
