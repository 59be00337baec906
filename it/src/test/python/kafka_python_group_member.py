"""kafka-python (Debian python3-kafka 2.0.2): one member of a consumer group that subscribes to
TOPIC and reads it until SIGTERM, committing synchronously after each poll that returned records.

Everything a poll returns is printed before the next poll, and the next poll is where a rebalance
may take partitions away, so the member hands over only offsets it has committed.

Prints "assigned <partitions>" and "revoked <partitions>" on each rebalance (comma-separated
partition numbers) and "consumed <partition> <offset> <key> <value>" per record, tab-separated.
On SIGTERM it closes the consumer, which leaves the group, and exits 0; on any error non-zero.
"""
import argparse
import signal
import sys

from kafka import KafkaConsumer
from kafka.consumer.subscription_state import ConsumerRebalanceListener


def partitions(tps):
    return ",".join(str(tp.partition) for tp in sorted(tps, key=lambda tp: tp.partition))


class PrintingListener(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        print("revoked\t%s" % partitions(revoked))

    def on_partitions_assigned(self, assigned):
        print("assigned\t%s" % partitions(assigned))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    args = parser.parse_args()

    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))

    consumer = KafkaConsumer(bootstrap_servers=[args.bootstrap], group_id=args.group,
                             enable_auto_commit=False, auto_offset_reset="earliest",
                             heartbeat_interval_ms=500, session_timeout_ms=10000, request_timeout_ms=30000)
    consumer.subscribe(topics=[args.topic], listener=PrintingListener())
    while not stopping:
        batches = consumer.poll(timeout_ms=200)
        for tp, records in batches.items():
            for record in records:
                print("consumed\t%d\t%d\t%s\t%s" % (record.partition, record.offset, record.key.decode(),
                                                    record.value.decode()))
        if batches:
            consumer.commit()
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
