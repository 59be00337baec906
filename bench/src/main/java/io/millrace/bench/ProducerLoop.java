package io.millrace.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One producer client's send loop, on its own thread.
 *
 * <p>Open loop ({@code intervalNanos > 0}): record {@code i} is due at {@code firstSendNanos + i
 * * intervalNanos}, whatever happened to the records before it. The loop waits for a due time
 * that is ahead and sends at once when it is behind, and each record's latency counts from its
 * due time, not from when {@code send} was called. So a broker that stalls for a second shows up
 * as a second of latency for every record due in it (not as one slow sample followed by a gap:
 * coordinated omission). Every record due before the deadline is sent, even if the loop only
 * gets to it later. Closed loop ({@code intervalNanos == 0}): send as fast as the client accepts
 * records (it blocks when its buffer is full); latency counts from the call to {@code send}.
 *
 * <p>The value is random bytes, reused for every record: {@code send} copies it into a batch
 * before it returns. With {@code stamp}, each value starts with the due time ({@code nanoTime})
 * and the run id, for the consumers of {@code e2e}.
 */
final class ProducerLoop implements Runnable {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final KeyPattern keys;
    private final byte[][] fixedKeys;
    private final SplittableRandom random;
    private final byte[] value;
    private final boolean stamp;
    private final long runId;
    private final long intervalNanos;
    private final long firstSendNanos;
    private final long recordLimit;
    private final RunClock clock;
    private final Meter meter;

    /**
     * @param recordLimit records to send, or -1 to send until the clock's deadline
     * @param runId       written after the timestamp when {@code stamp}; ignored otherwise
     */
    ProducerLoop(Producer<byte[], byte[]> producer, String topic, int index, ProducerOptions options,
                 boolean stamp, long runId, long intervalNanos, long firstSendNanos, long recordLimit,
                 RunClock clock, Meter meter) {
        this.producer = producer;
        this.topic = topic;
        this.keys = options.keys;
        this.fixedKeys = options.keys.buildFixedKeys();
        this.random = new SplittableRandom(index * 0x9E3779B97F4A7C15L + 1);
        this.value = new byte[options.recordSize];
        random.nextBytes(value);
        this.stamp = stamp;
        this.runId = runId;
        this.intervalNanos = intervalNanos;
        this.firstSendNanos = firstSendNanos;
        this.recordLimit = recordLimit;
        this.clock = clock;
        this.meter = meter;
    }

    @Override
    public void run() {
        long sent = 0;
        while (!clock.isStopped() && (recordLimit < 0 || sent < recordLimit)) {
            long dueNanos = intervalNanos > 0 ? firstSendNanos + sent * intervalNanos : System.nanoTime();
            if (clock.isPastDeadline(dueNanos)) {
                break;
            }
            long waitNanos = dueNanos - System.nanoTime();
            if (waitNanos > 0) {
                LockSupport.parkNanos(waitNanos);
                continue;
            }
            send(dueNanos);
            sent++;
        }
        producer.flush();
    }

    private void send(long dueNanos) {
        byte[] key = keys.next(random, fixedKeys);
        if (stamp) {
            ByteBuffer.wrap(value).putLong(dueNanos).putLong(runId);
        }
        int bytes = value.length + (key == null ? 0 : key.length);
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    long nowNanos = System.nanoTime();
                    meter.onSuccess(nowNanos - dueNanos, bytes, nowNanos);
                } else {
                    meter.onError(error);
                }
            });
        } catch (RuntimeException e) {
            meter.onError(e);
        }
    }

    /**
     * Starts one loop thread per client; {@code --rate} and {@code --records} are split evenly over
     * them, and in open loop their first due times are staggered across one interval.
     */
    static List<Thread> startAll(List<? extends Producer<byte[], byte[]>> clients, CommonOptions common,
                                 ProducerOptions options, RunClock clock, Meter meter, boolean stamp, long runId) {
        int count = clients.size();
        long intervalNanos = options.rate > 0 ? Math.max(1, Math.round(1e9 * count / options.rate)) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long limit = common.records == null ? -1 : common.records / count + (i < common.records % count ? 1 : 0);
            long firstSendNanos = clock.startNanos() + intervalNanos * i / count;
            ProducerLoop loop = new ProducerLoop(clients.get(i), common.topic, i, options, stamp, runId,
                    intervalNanos, firstSendNanos, limit, clock, meter);
            Thread thread = new Thread(loop, "bench-producer-" + i);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }
}
