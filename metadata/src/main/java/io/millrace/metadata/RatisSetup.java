package io.millrace.metadata;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings Millrace runs with. Election timeouts are 1-2 s instead of Ratis' 150-300
 * ms, which shared 2-core machines and GC pauses break (100-200 ms for a lone voter, which cannot
 * split a vote); the client retries a bounded number of
 * times with a pause (Ratis' default retries forever without sleeping); snapshots are taken
 * every {@link #SNAPSHOT_EVERY_ENTRIES} entries and the log is purged up to the snapshot.
 *
 * <p>Thread-safety: stateless.
 */
final class RatisSetup {
    static final long SNAPSHOT_EVERY_ENTRIES = 10_000;
    static final int CLIENT_MAX_ATTEMPTS = 50;
    static final TimeDuration CLIENT_RETRY_SLEEP = TimeDuration.valueOf(100, java.util.concurrent.TimeUnit.MILLISECONDS);

    private RatisSetup() {
    }

    static RaftGroup group(MetadataConfig config) {
        List<RaftPeer> peers = config.voters().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> RaftPeer.newBuilder().setId(MetadataService.peerIdOf(e.getKey()))
                        .setAddress(address(e.getValue())).build())
                .toList();
        return RaftGroup.valueOf(MetadataService.GROUP_ID, peers);
    }

    static RaftProperties serverProperties(MetadataConfig config) {
        RaftProperties props = common();
        InetSocketAddress self = config.voters().get(config.nodeId());
        GrpcConfigKeys.Server.setHost(props, self.getHostString());
        GrpcConfigKeys.Server.setPort(props, self.getPort());
        RaftServerConfigKeys.setStorageDir(props, List.of(config.dir().toFile()));
        // A lone voter has nobody to split votes with or to be partitioned from, so it can elect itself
        // as soon as it starts; only a real quorum needs timeouts long enough to ride out GC pauses.
        boolean loneVoter = config.voters().size() == 1;
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(loneVoter ? 20 : 1000,
                java.util.concurrent.TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(loneVoter ? 40 : 2000,
                java.util.concurrent.TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, SNAPSHOT_EVERY_ENTRIES);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        return props;
    }

    static RaftClient client(MetadataConfig config) {
        RaftProperties props = common();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(5, java.util.concurrent.TimeUnit.SECONDS));
        RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(CLIENT_MAX_ATTEMPTS, CLIENT_RETRY_SLEEP);
        return RaftClient.newBuilder()
                .setProperties(props)
                .setRaftGroup(group(config))
                .setRetryPolicy(retry)
                .build();
    }

    private static RaftProperties common() {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        return props;
    }

    private static String address(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
