package io.millrace.broker.purgatory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurgatoryTest {

    private final HashedWheelTimer timer = new HashedWheelTimer(1, TimeUnit.MILLISECONDS);
    private final Purgatory<String> purgatory = new Purgatory<>(timer);

    @AfterEach
    void stopTimer() {
        timer.stop();
    }

    /** Completes when the watched counter reaches a target. */
    private static final class WaitForCount extends DelayedOperation {
        final AtomicLong counter;
        final long target;
        final AtomicInteger completions = new AtomicInteger();
        volatile boolean expired;

        WaitForCount(AtomicLong counter, long target) {
            this.counter = counter;
            this.target = target;
        }

        @Override
        public boolean tryComplete() {
            return counter.get() >= target && forceComplete();
        }

        @Override
        protected void onExpiration() {
            expired = true;
        }

        @Override
        protected void onComplete() {
            completions.incrementAndGet();
        }
    }

    @Test
    void operationWhoseConditionHoldsCompletesWithoutWatching() {
        WaitForCount op = new WaitForCount(new AtomicLong(5), 5);
        purgatory.tryCompleteElseWatch(op, List.of("a"), 60_000);
        assertThat(op.completions.get()).isEqualTo(1);
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void eventOnWatchedKeyCompletesOperationExactlyOnce() {
        AtomicLong counter = new AtomicLong();
        WaitForCount op = new WaitForCount(counter, 2);
        purgatory.tryCompleteElseWatch(op, List.of("a", "b"), 60_000);
        counter.set(1);
        assertThat(purgatory.checkAndComplete("a")).isZero();
        counter.set(2);
        assertThat(purgatory.checkAndComplete("b")).isEqualTo(1);
        assertThat(purgatory.checkAndComplete("a")).isEqualTo(1);
        assertThat(op.completions.get()).isEqualTo(1);
        assertThat(op.expired).isFalse();
    }

    @Test
    void deadlineExpiresOperationThatNeverCompletes() {
        WaitForCount op = new WaitForCount(new AtomicLong(), 1);
        purgatory.tryCompleteElseWatch(op, List.of("a"), 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> op.completions.get() == 1);
        assertThat(op.expired).isTrue();
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void eventOnOtherKeyDoesNotTouchOperation() {
        AtomicLong counter = new AtomicLong(10);
        WaitForCount op = new WaitForCount(counter, 20);
        purgatory.tryCompleteElseWatch(op, List.of("a"), 60_000);
        counter.set(30);
        assertThat(purgatory.checkAndComplete("b")).isZero();
        assertThat(op.completions.get()).isZero();
        assertThat(purgatory.checkAndComplete("a")).isEqualTo(1);
    }
}
