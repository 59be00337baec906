package io.millrace.storage;

import io.millrace.protocol.FileSlice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * One segment of a partition log: a {@code .log} file of record batches plus its sparse
 * {@code .index} and {@code .timeindex}, all named by the 20-digit base offset as Kafka names
 * them.
 *
 * <p>Lifecycle: active (appended to, indexes preallocated) → sealed ({@link #onBecomeInactive()}
 * trims the indexes) → deleted or closed. A segment the {@link LogCleaner} writes starts as
 * cleaned (files {@code *.cleaned}, invisible to the log) → swap ({@code *.swap}, complete and
 * fsynced; a restart finishes the swap) → sealed (final names, in the segment map); the segments
 * it replaces go from sealed to deleted. Thread-safety: mutations ({@code append},
 * {@code truncateTo}, {@code recover}, {@code onBecomeInactive}) run under the owning
 * {@link PartitionLog}'s append lock; reads are lock-free and see only bytes below the volatile
 * {@link #size}, which is published after the bytes are written.
 */
final class LogSegment implements AutoCloseable {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    /** Suffix of a segment the log cleaner is still writing; a restart deletes it. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** Suffix of a complete cleaned segment about to replace its originals; a restart completes the swap. */
    static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final int indexIntervalBytes;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final long createdMs;
    private volatile Path logFile;
    private volatile int size;
    private volatile long maxTimestampSoFar = -1;
    private volatile long offsetOfMaxTimestampSoFar = -1;
    private volatile long rollingBasedTimestamp = -1;
    private int bytesSinceLastIndexEntry;

    private LogSegment(Path dir, long baseOffset, LogConfig config, long nowMs, String fileSuffix) throws IOException {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.createdMs = nowMs;
        this.logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix);
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + fileSuffix), baseOffset,
                config.segmentIndexBytes());
        this.timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + fileSuffix), baseOffset,
                config.segmentIndexBytes());
        this.size = (int) channel.size();
    }

    /** Creates a new, empty active segment with preallocated indexes. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        return create(dir, baseOffset, config, nowMs, "");
    }

    /**
     * Creates a new, empty segment whose three file names end with {@code fileSuffix} after the
     * usual one (e.g. {@code .log.cleaned}), for the log cleaner.
     */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs, String fileSuffix)
            throws IOException {
        LogSegment segment = new LogSegment(dir, baseOffset, config, nowMs, fileSuffix);
        segment.channel.truncate(0);
        segment.size = 0;
        segment.offsetIndex.truncateToOffset(baseOffset);
        segment.timeIndex.truncateToOffset(baseOffset);
        segment.offsetIndex.preallocate();
        segment.timeIndex.preallocate();
        return segment;
    }

    /**
     * Opens an existing segment and loads its index files. Returns a segment whose indexes must be
     * rebuilt with {@link #recover} when {@link #indexesLoaded()} is false.
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        return new LogSegment(dir, baseOffset, config, nowMs, "");
    }

    /** Opens an existing segment whose file names carry the extra {@code fileSuffix}. */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs, String fileSuffix)
            throws IOException {
        return new LogSegment(dir, baseOffset, config, nowMs, fileSuffix);
    }

    /**
     * Renames the three files from names ending in {@code from} to names ending in {@code to}
     * (either may be empty), e.g. {@code .log.cleaned} to {@code .log.swap}. The channels stay open.
     */
    void changeFileSuffix(String from, String to) throws IOException {
        logFile = renameSuffix(logFile, from, to);
        offsetIndex.renameTo(renameTarget(offsetIndex.file(), from, to));
        timeIndex.renameTo(renameTarget(timeIndex.file(), from, to));
    }

    private static Path renameSuffix(Path file, String from, String to) throws IOException {
        Path target = renameTarget(file, from, to);
        Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static Path renameTarget(Path file, String from, String to) {
        String name = file.getFileName().toString();
        if (!name.endsWith(from)) {
            throw new IllegalStateException("File " + file + " does not end with " + from);
        }
        return file.resolveSibling(name.substring(0, name.length() - from.length()) + to);
    }

    /** Appends one whole batch (between position and limit) whose offsets are already assigned. */
    void appendBatch(ByteBuffer batch) throws IOException {
        append(batch, List.of(BatchHeader.read(batch, batch.position(), batch.position())));
    }

    /** Loads both indexes from disk and checks them; false means they need a rebuild. */
    boolean loadIndexes(long nextSegmentBase) throws IOException {
        boolean ok = offsetIndex.loadExisting() && timeIndex.loadExisting()
                && offsetIndex.isConsistent(size, nextSegmentBase) && timeIndex.isConsistent(nextSegmentBase);
        if (ok) {
            TimestampOffset last = timeIndex.lastEntry();
            if (last != null) {
                maxTimestampSoFar = last.timestampMs();
                offsetOfMaxTimestampSoFar = last.offset();
            }
            BatchHeader first = size > 0 ? readHeader(0) : null;
            rollingBasedTimestamp = first == null ? -1 : first.maxTimestamp();
        }
        return ok;
    }

    static String fileName(long offset, String suffix) {
        return String.format("%020d%s", offset, suffix);
    }

    long baseOffset() {
        return baseOffset;
    }

    Path logFile() {
        return logFile;
    }

    int size() {
        return size;
    }

    FileChannel channel() {
        return channel;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * Appends batches whose offsets are already assigned, and adds index entries each time more
     * than {@code indexIntervalBytes} were written since the last one.
     *
     * @param records the batches, between position and limit; positions in {@code batches} index it
     */
    void append(ByteBuffer records, List<BatchHeader> batches) throws IOException {
        int start = size;
        ByteBuffer src = records.duplicate();
        long pos = start;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        for (BatchHeader batch : batches) {
            int physical = start + (int) (batch.position() - records.position());
            onBatchWritten(batch, physical);
        }
        size = (int) pos;
    }

    private void onBatchWritten(BatchHeader batch, int physicalPosition) {
        if (rollingBasedTimestamp < 0 && physicalPosition == 0) {
            rollingBasedTimestamp = batch.maxTimestamp();
        }
        if (batch.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = batch.maxTimestamp();
            offsetOfMaxTimestampSoFar = batch.lastOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.lastOffset(), physicalPosition);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /** Reads the header of the batch at {@code position}, or null if fewer header bytes remain. */
    BatchHeader readHeader(long position) throws IOException {
        int limit = size;
        if (position + BatchFormat.HEADER_SIZE > limit) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate(BatchFormat.HEADER_SIZE);
        readFully(buf, position);
        return BatchHeader.read(buf, 0, position);
    }

    /** The first batch whose last offset is >= {@code offset}, or null if none in this segment. */
    BatchHeader translateOffset(long offset) throws IOException {
        long position = offsetIndex.lookupPosition(offset);
        BatchHeader batch = readHeader(position);
        while (batch != null) {
            if (batch.lastOffset() >= offset) {
                return batch;
            }
            batch = readHeader(batch.position() + batch.sizeInBytes());
        }
        return null;
    }

    /**
     * Whole batches from the one holding {@code startOffset}: those ending below
     * {@code maxOffsetExclusive}, at most {@code maxBytes} in total, except that with
     * {@code minOneBatch} the first batch is returned even if larger.
     *
     * @return the slice (possibly empty), or null if the segment holds nothing at or after startOffset
     */
    FileSlice read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) throws IOException {
        long visible = size;
        BatchHeader first = translateOffset(startOffset);
        if (first == null) {
            return null;
        }
        long start = first.position();
        if (first.lastOffset() >= maxOffsetExclusive) {
            return new FileSlice(channel, start, 0);
        }
        // Everything before the first batch that reaches maxOffsetExclusive is readable; both ends
        // come from the offset index plus a short scan, not from reading every batch header in the
        // range (a 1 MiB fetch of small batches used to read hundreds of headers).
        BatchHeader excluded = maxOffsetExclusive == Long.MAX_VALUE ? null : translateOffset(maxOffsetExclusive);
        long readableEnd = excluded == null ? visible : Math.min(excluded.position(), visible);
        long limit = Math.min(readableEnd, start + maxBytes);
        long end;
        if (limit == readableEnd) {
            end = readableEnd;
        } else {
            end = lastBatchBoundaryAtOrBefore(Math.max(start, offsetIndex.floorPosition(limit)), limit);
            if (end == start && minOneBatch) {
                end = start + first.sizeInBytes();
            }
        }
        return new FileSlice(channel, start, (int) (end - start));
    }

    /** Scans batch headers from {@code from} (a batch start) to the last batch end at or before {@code limit}. */
    private long lastBatchBoundaryAtOrBefore(long from, long limit) throws IOException {
        long end = from;
        BatchHeader batch = readHeader(end);
        while (batch != null && end + batch.sizeInBytes() <= limit) {
            end += batch.sizeInBytes();
            batch = readHeader(end);
        }
        return end;
    }

    /** Reads the whole batch described by {@code header} into a new buffer. */
    ByteBuffer readBatch(BatchHeader header) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(header.sizeInBytes());
        readFully(buf, header.position());
        buf.flip();
        return buf;
    }

    /** First record with timestamp >= target at or after {@code startingOffset}, or null. */
    TimestampOffset findOffsetByTimestamp(long timestampMs, long startingOffset) throws IOException {
        long scanFrom = Math.max(timeIndex.lookupOffset(timestampMs), startingOffset);
        BatchHeader batch = translateOffset(scanFrom);
        while (batch != null) {
            if (batch.maxTimestamp() >= timestampMs) {
                TimestampOffset found = RecordTimestamps.firstAtOrAfter(readBatch(batch), timestampMs);
                if (found != null && found.offset() >= startingOffset) {
                    return found;
                }
            }
            batch = readHeader(batch.position() + batch.sizeInBytes());
        }
        return null;
    }

    /** The offset after the last batch, or the base offset when the segment is empty. */
    long readNextOffset() throws IOException {
        long next = baseOffset;
        BatchHeader batch = readHeader(offsetIndex.lastPosition());
        while (batch != null) {
            next = batch.nextOffset();
            batch = readHeader(batch.position() + batch.sizeInBytes());
        }
        return next;
    }

    /**
     * Validates every batch (structure, CRC, offsets only growing), rebuilds both indexes and cuts
     * the file at the first bad or torn byte, as Kafka's {@code LogSegment.recover} does.
     *
     * @param onValid called with each valid batch in order, to rebuild producer and epoch state
     * @return the number of bytes cut from the end of the file
     */
    int recover(int maxBatchBytes, Consumer<BatchHeader> onValid) throws IOException {
        offsetIndex.truncateToOffset(baseOffset);
        timeIndex.truncateToOffset(baseOffset);
        maxTimestampSoFar = -1;
        offsetOfMaxTimestampSoFar = -1;
        rollingBasedTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        int fileSize = (int) channel.size();
        size = fileSize;
        int position = 0;
        long expectedAtLeast = baseOffset;
        while (position < fileSize) {
            BatchHeader batch = validBatchAt(position, fileSize, expectedAtLeast, maxBatchBytes);
            if (batch == null) {
                break;
            }
            onBatchWritten(batch, position);
            onValid.accept(batch);
            expectedAtLeast = batch.nextOffset();
            position += batch.sizeInBytes();
        }
        channel.truncate(position);
        size = position;
        return fileSize - position;
    }

    private BatchHeader validBatchAt(int position, int fileSize, long minBaseOffset, int maxBatchBytes)
            throws IOException {
        BatchHeader header = readHeader(position);
        if (header == null || header.magic() != BatchFormat.MAGIC_V2 || header.sizeInBytes() < BatchFormat.HEADER_SIZE
                || header.sizeInBytes() > Math.max(maxBatchBytes, BatchFormat.HEADER_SIZE)
                || (long) position + header.sizeInBytes() > fileSize
                || header.baseOffset() < minBaseOffset || header.lastOffsetDelta() < 0
                || header.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer whole = readBatch(header);
        return BatchFormat.crcMatches(whole, 0, header.sizeInBytes()) ? header : null;
    }

    /**
     * Removes every batch holding an offset >= {@code offset}; a batch straddling it goes entirely.
     *
     * @return bytes removed
     */
    int truncateTo(long offset) throws IOException {
        BatchHeader first = translateOffset(offset);
        if (first == null) {
            return 0;
        }
        int before = size;
        offsetIndex.truncateToOffset(offset);
        timeIndex.truncateToOffset(offset);
        channel.truncate(first.position());
        size = (int) first.position();
        bytesSinceLastIndexEntry = 0;
        rescanMaxTimestamp();
        offsetIndex.preallocate();
        timeIndex.preallocate();
        return before - size;
    }

    private void rescanMaxTimestamp() throws IOException {
        maxTimestampSoFar = -1;
        offsetOfMaxTimestampSoFar = -1;
        rollingBasedTimestamp = -1;
        BatchHeader batch = readHeader(0);
        while (batch != null) {
            if (rollingBasedTimestamp < 0) {
                rollingBasedTimestamp = batch.maxTimestamp();
            }
            if (batch.maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = batch.maxTimestamp();
                offsetOfMaxTimestampSoFar = batch.lastOffset();
            }
            batch = readHeader(batch.position() + batch.sizeInBytes());
        }
    }

    /** The largest timestamp in the segment, or the file's modification time if it has none. */
    long largestTimestamp() throws IOException {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : Files.getLastModifiedTime(logFile).toMillis();
    }

    /** Max timestamp and the offset of the batch holding it, or null when the segment has no timestamps. */
    TimestampOffset maxTimestampAndOffset() {
        long max = maxTimestampSoFar;
        return max < 0 ? null : new TimestampOffset(max, offsetOfMaxTimestampSoFar);
    }

    /** How long the segment has been accepting data, for {@code segment.ms} rolls. */
    long timeWaitedForRollMs(long nowMs) {
        long since = rollingBasedTimestamp >= 0 ? rollingBasedTimestamp : createdMs;
        return nowMs - since;
    }

    /** Makes the segment the active one again: its indexes are preallocated for appends. */
    void makeActive() throws IOException {
        offsetIndex.preallocate();
        timeIndex.preallocate();
    }

    /** Seals the segment: records its final time index entry and trims both indexes. */
    void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        }
        offsetIndex.trim();
        timeIndex.trim();
    }

    void flushLog() throws IOException {
        channel.force(false);
    }

    void flushIndexes() throws IOException {
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Renames the files with a {@code .deleted} suffix so a restart removes them if we do not. An
     * older {@code .deleted} file of the same name (the cleaner replaces segments with the same base
     * offset again and again) is replaced, as Kafka's atomic move does: its segment still reads
     * through its open channels, and its delayed deletion then removes an already unlinked name.
     */
    void renameForDelete() throws IOException {
        Path target = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + DELETED_SUFFIX));
    }

    /** Closes the channels and removes the files. */
    void closeAndDelete() throws IOException {
        closeChannels();
        Files.deleteIfExists(logFile);
        Files.deleteIfExists(offsetIndex.file());
        Files.deleteIfExists(timeIndex.file());
    }

    /** Seals and closes: the indexes are left trimmed, as Kafka leaves them at shutdown. */
    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            onBecomeInactive();
        }
        closeChannels();
    }

    private void closeChannels() throws IOException {
        channel.close();
        offsetIndex.close();
        timeIndex.close();
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("Unexpected end of " + logFile + " at " + pos);
            }
            pos += n;
        }
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size + ")";
    }
}
