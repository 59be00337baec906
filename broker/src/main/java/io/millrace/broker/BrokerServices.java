package io.millrace.broker;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.replica.FetchService;
import io.millrace.broker.replica.ProduceService;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.metadata.MetadataService;
import io.millrace.protocol.Time;
import io.millrace.storage.LogManager;
import java.util.concurrent.Executor;

/**
 * The domain services handlers call; built once per broker. {@code blockingIo} runs admin work
 * that touches files (DeleteRecords, DescribeLogDirs) so that it never runs on an event loop.
 */
public record BrokerServices(
        BrokerConfig config,
        Time time,
        MetadataService metadata,
        LogManager logManager,
        ReplicaManager replicaManager,
        ProduceService produce,
        FetchService fetch,
        GroupCoordinator groups,
        Executor blockingIo) {
}
