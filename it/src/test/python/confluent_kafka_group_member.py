"""confluent-kafka-python (Debian python3-confluent-kafka, librdkafka): one member of a consumer
group that subscribes to TOPIC and reads it until SIGTERM, committing synchronously after each
batch it consumed.

Everything a consume() call returns is printed and committed before the next call, and that call
is where a rebalance may take partitions away, so the member hands over only offsets it has
committed.

Prints "assigned <partitions>" and "revoked <partitions>" on each rebalance (comma-separated
partition numbers) and "consumed <partition> <offset> <key> <value>" per record, tab-separated.
On SIGTERM it closes the consumer, which leaves the group, and exits 0; on any error non-zero.
"""
import argparse
import signal
import sys

from confluent_kafka import Consumer


def partitions(tps):
    return ",".join(str(tp.partition) for tp in sorted(tps, key=lambda tp: tp.partition))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    args = parser.parse_args()

    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))

    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                         "enable.auto.commit": False, "auto.offset.reset": "earliest",
                         "heartbeat.interval.ms": 500, "session.timeout.ms": 10000})
    consumer.subscribe([args.topic],
                       on_assign=lambda c, tps: print("assigned\t%s" % partitions(tps)),
                       on_revoke=lambda c, tps: print("revoked\t%s" % partitions(tps)))
    while not stopping:
        messages = consumer.consume(num_messages=500, timeout=0.2)
        for msg in messages:
            if msg.error():
                print("consumer error: %s" % msg.error(), file=sys.stderr)
                return 1
            print("consumed\t%d\t%d\t%s\t%s" % (msg.partition(), msg.offset(), msg.key().decode(),
                                                msg.value().decode()))
        if messages:
            consumer.commit(asynchronous=False)
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
