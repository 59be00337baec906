package io.millrace.storage;

import io.millrace.protocol.FileSlice;

/**
 * Whole record batches read from one segment, to be sent without copying.
 *
 * @param records        the bytes; size 0 when nothing is available
 * @param logStartOffset the log start offset when the read ran
 */
public record FetchData(FileSlice records, long logStartOffset) {
}
