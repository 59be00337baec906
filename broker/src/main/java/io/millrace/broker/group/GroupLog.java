package io.millrace.broker.group;

import io.millrace.protocol.records.KeyValueRecords;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator keeps its state: the partitions of {@code __consumer_offsets}. The broker
 * implements it with the replica manager; tests use an in-memory log.
 */
public interface GroupLog {

    /**
     * Appends records to one partition as its leader and completes, with the offset of the first
     * record, once the write is as durable as an {@code acks=all} produce. Fails with a
     * {@link io.millrace.protocol.MillraceException} carrying the produce error.
     */
    CompletableFuture<Long> append(int partition, List<KeyValueRecords.Entry> entries);

    /** Visits every record of the partition from its log start to its end, in offset order. */
    void replay(int partition, KeyValueRecords.Visitor visitor) throws IOException;
}
