package io.millrace.broker.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The classic group protocol's states, with the transition table: each state lists the states
 * it may be entered from.
 *
 * <pre>
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *     ▲                 │  ▲                                          │                              │
 *     └──no members─────┘  └──member joins, leaves or expires─────────┴──────────────────────────────┘
 *   any state ──group deleted / coordinator moved──▶ Dead
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka uses on the wire (DescribeGroups, ListGroups). */
    public String kafkaName() {
        return kafkaName;
    }

    /** The states this one may be entered from. */
    public Set<GroupState> validPrevious() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
    }

    /** The state named {@code name} (case-insensitive), for ListGroups' state filter. */
    public static GroupState parse(String name) {
        for (GroupState state : values()) {
            if (state.kafkaName.equalsIgnoreCase(name)) {
                return state;
            }
        }
        return null;
    }
}
