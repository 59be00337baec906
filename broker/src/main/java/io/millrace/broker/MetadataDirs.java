package io.millrace.broker;

/** Where the metadata quorum keeps its Raft log and snapshots, inside {@code log.dirs}. */
final class MetadataDirs {

    /** Not a valid {@code topic-partition} directory name, so the log manager never loads it as one. */
    static final String METADATA_DIR_NAME = "__cluster_metadata";

    private MetadataDirs() {
    }
}
