package io.millrace.storage;

/** A record's timestamp and offset, as ListOffsets answers them. */
public record TimestampOffset(long timestampMs, long offset) {
}
