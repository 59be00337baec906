package io.millrace.broker.purgatory;

import io.netty.util.Timeout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An operation that waits for an event (a high watermark passing an offset, enough bytes to
 * fetch) or for its deadline, whichever comes first. It completes exactly once: either
 * {@link #tryComplete()} finds its condition met and calls {@link #forceComplete()}, or the
 * timer expires it.
 *
 * <p>Thread-safety: {@link #tryComplete()} may run concurrently on several threads (appends on
 * two event loops, the flusher); {@link #forceComplete()} guarantees {@link #onComplete()} runs
 * once.
 */
public abstract class DelayedOperation {

    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Timeout timeout;

    /** Checks the condition and calls {@link #forceComplete()} if it holds; returns whether it completed. */
    public abstract boolean tryComplete();

    /** Builds and delivers the result; called exactly once, by whoever completes the operation. */
    protected abstract void onComplete();

    /** Called once, before {@link #onComplete()}, when the deadline passed without the condition. */
    protected void onExpiration() {
    }

    public final boolean forceComplete() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        Timeout scheduled = timeout;
        if (scheduled != null) {
            scheduled.cancel();
        }
        onComplete();
        return true;
    }

    public final boolean isCompleted() {
        return completed.get();
    }

    final void expire() {
        if (!isCompleted() && !tryComplete()) {
            if (completed.compareAndSet(false, true)) {
                onExpiration();
                onComplete();
            }
        }
    }

    final void setTimeout(Timeout timeout) {
        this.timeout = timeout;
    }
}
