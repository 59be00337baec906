// kafkajs (pinned in package-lock.json): produce COUNT records to partition 0 and read them back
// with a consumer group of one member (kafkajs has no other kind of consumer). Prints one
// tab-separated line per acknowledgement ("produced <offset>") and per record read
// ("consumed <offset> <key> <value>"); exits non-zero on any error.
'use strict';

const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

function parseArgs(argv) {
  const args = { timeoutMs: 60000 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    args[name === 'timeout-ms' ? 'timeoutMs' : name] = argv[i + 1];
  }
  for (const required of ['bootstrap', 'topic', 'count']) {
    if (!args[required]) throw new Error(`missing --${required}`);
  }
  args.count = Number(args.count);
  args.timeoutMs = Number(args.timeoutMs);
  return args;
}

async function produce(kafka, args) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const batchSize = 100;
  for (let start = 0; start < args.count; start += batchSize) {
    const messages = [];
    for (let i = start; i < Math.min(args.count, start + batchSize); i++) {
      messages.push({ partition: 0, key: `key-${i}`, value: `value-${i}`, headers: { source: 'kafkajs' } });
    }
    // Alternate codecs: kafkajs ships gzip; none is the default.
    const compression = (start / batchSize) % 2 === 0 ? CompressionTypes.None : CompressionTypes.GZIP;
    const results = await producer.send({ topic: args.topic, acks: -1, compression, messages });
    const result = results.find((r) => r.partition === 0);
    if (!result || result.errorCode !== 0) throw new Error(`produce failed: ${JSON.stringify(results)}`);
    const base = Number(result.baseOffset);
    messages.forEach((_, n) => console.log(`produced\t${base + n}`));
  }
  await producer.disconnect();
}

async function consume(kafka, args) {
  const consumer = kafka.consumer({ groupId: `millrace-it-kafkajs-${process.pid}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
  let read = 0;
  let failure = null;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read only ${read} of ${args.count} records`)), args.timeoutMs);
    consumer.run({
      eachMessage: async ({ message }) => {
        const source = message.headers.source && message.headers.source.toString();
        if (source !== 'kafkajs') failure = new Error(`record ${message.offset} has headers ${JSON.stringify(message.headers)}`);
        console.log(`consumed\t${message.offset}\t${message.key}\t${message.value}`);
        read++;
        if (failure || read >= args.count) {
          clearTimeout(timer);
          failure ? reject(failure) : resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const kafka = new Kafka({ clientId: 'millrace-it', brokers: [args.bootstrap], logLevel: logLevel.ERROR,
    retry: { retries: 5 } });
  const admin = kafka.admin();
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics: [args.topic] });
  const partitions = metadata.topics[0].partitions;
  if (partitions.length !== 1 || partitions[0].leader < 0) throw new Error(`metadata: ${JSON.stringify(metadata)}`);
  await admin.disconnect();
  await produce(kafka, args);
  await consume(kafka, args);
}

main().then(() => process.exit(0), (err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
