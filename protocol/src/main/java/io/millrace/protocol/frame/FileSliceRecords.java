package io.millrace.protocol.frame;

import io.millrace.protocol.FileSlice;
import java.util.Objects;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Lets a {@link FileSlice} fill a records field of a generated kafka-clients message. The generated
 * code counts it as zero-copy bytes and hands it to {@code Writable.writeRecords}, where
 * {@link ResponseFrames} turns it into a file region in its place in the frame. Kafka's own
 * network send path never sees it, so {@link #toSend()} is unsupported.
 */
public record FileSliceRecords(FileSlice slice) implements BaseRecords {

    public FileSliceRecords {
        Objects.requireNonNull(slice, "slice");
    }

    @Override
    public int sizeInBytes() {
        return slice.sizeBytes();
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("file slices are written by ResponseFrames as file regions");
    }
}
