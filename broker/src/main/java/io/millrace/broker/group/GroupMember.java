package io.millrace.broker.group;

import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.codec.SyncGroupCodec;
import io.netty.util.Timeout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a classic group. Mutable; guarded by its group's lock.
 */
final class GroupMember {

    private String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private final String protocolType;
    /** Protocol name to this member's metadata for it, in the member's order of preference. */
    private Map<String, byte[]> protocols;
    private byte[] assignment = new byte[0];
    CompletableFuture<JoinGroupCodec.Response> awaitingJoin;
    CompletableFuture<SyncGroupCodec.Response> awaitingSync;
    /** The join request version, to know whether the member understands skipAssignment. */
    short joinVersion;
    Timeout sessionExpiry;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                int sessionTimeoutMs, String protocolType, List<JoinGroupCodec.Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = toMap(protocols);
    }

    static GroupMember restored(GroupRecords.MemberValue value, String protocolType, String protocol) {
        GroupMember member = new GroupMember(value.memberId(), value.groupInstanceId(), value.clientId(),
                value.clientHost(), value.rebalanceTimeoutMs(), value.sessionTimeoutMs(), protocolType,
                List.of(new JoinGroupCodec.Protocol(protocol == null ? "" : protocol, value.subscription())));
        member.assignment = value.assignment();
        return member;
    }

    private static Map<String, byte[]> toMap(List<JoinGroupCodec.Protocol> protocols) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (JoinGroupCodec.Protocol protocol : protocols) {
            map.putIfAbsent(protocol.name(), protocol.metadata());
        }
        return map;
    }

    String memberId() {
        return memberId;
    }

    void replaceMemberId(String newMemberId) {
        this.memberId = newMemberId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    String protocolType() {
        return protocolType;
    }

    Map<String, byte[]> protocols() {
        return protocols;
    }

    byte[] metadata(String protocol) {
        byte[] metadata = protocols.get(protocol);
        return metadata == null ? new byte[0] : metadata;
    }

    /** The first protocol in this member's preference order that {@code candidates} holds. */
    String vote(Set<String> candidates) {
        for (String name : protocols.keySet()) {
            if (candidates.contains(name)) {
                return name;
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    boolean matches(List<JoinGroupCodec.Protocol> other) {
        Map<String, byte[]> map = toMap(other);
        if (!map.keySet().equals(protocols.keySet()) || !List.copyOf(map.keySet()).equals(List.copyOf(protocols.keySet()))) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : map.entrySet()) {
            if (!Arrays.equals(entry.getValue(), protocols.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    void update(int newRebalanceTimeoutMs, int newSessionTimeoutMs, List<JoinGroupCodec.Protocol> newProtocols) {
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.sessionTimeoutMs = newSessionTimeoutMs;
        this.protocols = toMap(newProtocols);
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] newAssignment) {
        this.assignment = newAssignment == null ? new byte[0] : newAssignment;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    GroupRecords.MemberValue toValue(String protocol) {
        return new GroupRecords.MemberValue(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, protocol == null ? new byte[0] : metadata(protocol), assignment);
    }
}
