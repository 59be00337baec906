package io.millrace.broker;

import io.millrace.broker.handler.ApiVersionsHandler;
import io.millrace.broker.handler.FetchHandler;
import io.millrace.broker.handler.InitProducerIdHandler;
import io.millrace.broker.handler.ListOffsetsHandler;
import io.millrace.broker.handler.MetadataHandler;
import io.millrace.broker.handler.OffsetForLeaderEpochHandler;
import io.millrace.broker.handler.ProduceHandler;
import io.millrace.broker.handler.TopicAutoCreator;
import io.millrace.broker.handler.admin.AlterConfigsHandler;
import io.millrace.broker.handler.admin.CreatePartitionsHandler;
import io.millrace.broker.handler.admin.CreateTopicsHandler;
import io.millrace.broker.handler.admin.DeleteRecordsHandler;
import io.millrace.broker.handler.admin.DeleteTopicsHandler;
import io.millrace.broker.handler.admin.DescribeClusterHandler;
import io.millrace.broker.handler.admin.DescribeConfigsHandler;
import io.millrace.broker.handler.admin.DescribeLogDirsHandler;
import io.millrace.broker.handler.admin.DescribeTopicPartitionsHandler;
import io.millrace.broker.handler.admin.IncrementalAlterConfigsHandler;
import io.millrace.broker.handler.group.DeleteGroupsHandler;
import io.millrace.broker.handler.group.DescribeGroupsHandler;
import io.millrace.broker.handler.group.FindCoordinatorHandler;
import io.millrace.broker.handler.group.HeartbeatHandler;
import io.millrace.broker.handler.group.JoinGroupHandler;
import io.millrace.broker.handler.group.LeaveGroupHandler;
import io.millrace.broker.handler.group.ListGroupsHandler;
import io.millrace.broker.handler.group.OffsetCommitHandler;
import io.millrace.broker.handler.group.OffsetDeleteHandler;
import io.millrace.broker.handler.group.OffsetFetchHandler;
import io.millrace.broker.handler.group.SyncGroupHandler;
import io.millrace.broker.network.HandlerRegistry;
import io.millrace.broker.replica.ProducerIdManager;

/** Builds the handler registry: the one list of the APIs this broker serves. */
final class Handlers {

    private Handlers() {
    }

    static HandlerRegistry registry(BrokerServices services) {
        HandlerRegistry registry = new HandlerRegistry();
        TopicAutoCreator autoCreator = new TopicAutoCreator(services.metadata());
        ApiVersionsHandler apiVersions = new ApiVersionsHandler(registry);
        registry.register(apiVersions)
                .register(new MetadataHandler(services.config(), services.metadata(), autoCreator))
                .register(new ProduceHandler(services.config(), services.metadata(), autoCreator, services.produce()))
                .register(new FetchHandler(services.metadata(), services.fetch()))
                .register(new ListOffsetsHandler(services.replicaManager()))
                .register(new OffsetForLeaderEpochHandler(services.replicaManager()))
                .register(new InitProducerIdHandler(new ProducerIdManager(services.metadata(), services.config().nodeId())))
                .register(new CreateTopicsHandler(services))
                .register(new DeleteTopicsHandler(services))
                .register(new CreatePartitionsHandler(services))
                .register(new DescribeConfigsHandler(services))
                .register(new AlterConfigsHandler(services))
                .register(new IncrementalAlterConfigsHandler(services))
                .register(new DescribeClusterHandler(services))
                .register(new DescribeTopicPartitionsHandler(services))
                .register(new DeleteRecordsHandler(services))
                .register(new DescribeLogDirsHandler(services))
                .register(new FindCoordinatorHandler(services.config(), services.metadata()))
                .register(new JoinGroupHandler(services.groups()))
                .register(new SyncGroupHandler(services.groups()))
                .register(new HeartbeatHandler(services.groups()))
                .register(new LeaveGroupHandler(services.groups()))
                .register(new OffsetCommitHandler(services.groups(), services.metadata()))
                .register(new OffsetFetchHandler(services.groups(), services.metadata()))
                .register(new OffsetDeleteHandler(services.groups()))
                .register(new DescribeGroupsHandler(services.groups()))
                .register(new ListGroupsHandler(services.groups()))
                .register(new DeleteGroupsHandler(services.groups()));
        return registry;
    }
}
