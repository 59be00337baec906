package io.millrace.protocol.wire;

import io.millrace.protocol.FileSlice;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Lets a {@link FileSlice} stand in a generated message's records field. Only
 * {@link ResponseWriter} writes it, as a zero-copy file region; Kafka's own send path is never
 * used for it, so {@link #toSend()} is not supported.
 */
public record FileSliceRecords(FileSlice slice) implements BaseRecords {

    @Override
    public int sizeInBytes() {
        return slice.sizeBytes();
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("file slices are written by ResponseWriter as file regions");
    }
}
