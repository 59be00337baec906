// kafkajs (pinned in package-lock.json): one member of a consumer group that subscribes to TOPIC and
// reads it until SIGTERM. kafkajs commits the resolved offsets after each batch (autoCommit with
// neither interval nor threshold), before it fetches again, and a rebalance is noticed only while
// fetching or heartbeating between batches, so the member hands over only offsets it has committed.
//
// Prints "assigned <partitions>" when it joins the group and "revoked <partitions>" when a rebalance
// starts (comma-separated partition numbers), and "consumed <partition> <offset> <key> <value>" per
// record, tab-separated. On SIGTERM it disconnects, which leaves the group, and exits 0; on any
// error non-zero.
'use strict';

const { Kafka, logLevel } = require('kafkajs');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    args[argv[i].replace(/^--/, '')] = argv[i + 1];
  }
  for (const required of ['bootstrap', 'topic', 'group']) {
    if (!args[required]) throw new Error(`missing --${required}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const kafka = new Kafka({ clientId: 'millrace-it', brokers: [args.bootstrap], logLevel: logLevel.ERROR,
    retry: { retries: 5 } });
  const consumer = kafka.consumer({ groupId: args.group, maxWaitTimeInMs: 200, heartbeatInterval: 500,
    sessionTimeout: 10000 });
  let owned = [];
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    owned = (payload.memberAssignment[args.topic] || []).slice().sort((a, b) => a - b);
    console.log(`assigned\t${owned.join(',')}`);
  });
  consumer.on(consumer.events.REBALANCING, () => console.log(`revoked\t${owned.join(',')}`));
  const crashed = new Promise((resolve, reject) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
  });
  const stopped = new Promise((resolve) => process.once('SIGTERM', resolve));

  await consumer.connect();
  await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      console.log(`consumed\t${partition}\t${message.offset}\t${message.key}\t${message.value}`);
    },
  });
  await Promise.race([stopped, crashed]);
  await consumer.disconnect();
}

main().then(() => process.exit(0), (err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
