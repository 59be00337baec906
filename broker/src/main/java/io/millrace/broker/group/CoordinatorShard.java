package io.millrace.broker.group;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The groups of one {@code __consumer_offsets} partition that this node leads. Created LOADING
 * when the node becomes leader, ACTIVE once the partition has been replayed, UNLOADED when
 * leadership moves away.
 */
final class CoordinatorShard {

    enum Status { LOADING, ACTIVE, UNLOADED }

    private final int partition;
    private volatile Status status = Status.LOADING;
    final ConcurrentHashMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();

    CoordinatorShard(int partition) {
        this.partition = partition;
    }

    int partition() {
        return partition;
    }

    Status status() {
        return status;
    }

    void status(Status next) {
        this.status = next;
    }
}
