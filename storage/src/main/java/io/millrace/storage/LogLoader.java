package io.millrace.storage;

import io.millrace.protocol.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Opens a partition directory: removes leftovers of interrupted operations, opens segments,
 * rebuilds indexes that are missing or inconsistent, and after an unclean shutdown re-validates
 * every batch from the segment holding the recovery point onwards, cutting the log at the first
 * bad or torn byte (Kafka's {@code LogLoader} and {@code LogSegment.recover}). It then restores
 * producer state from the newest snapshot plus replay of the log after it.
 *
 * <p>Thread-safety: runs once, on the thread that loads the log, before the log is shared.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    record Result(ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset) {
    }

    private final Path dir;
    private final LogConfig config;
    private final Time time;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final String logPrefix;

    LogLoader(Path dir, LogConfig config, Time time, ProducerStateManager producerState, LeaderEpochCache epochCache) {
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.producerState = producerState;
        this.epochCache = epochCache;
        this.logPrefix = "[Log " + dir.getFileName() + "] ";
    }

    /**
     * @param cleanShutdown        whether the previous run closed the log directory cleanly
     * @param recoveryPoint        offset below which everything was flushed (0 if unknown)
     * @param logStartCheckpoint   persisted log start offset (0 if unknown)
     */
    Result load(boolean cleanShutdown, long recoveryPoint, long logStartCheckpoint) throws IOException {
        completeSwaps();
        List<Long> baseOffsets = cleanDirectory();
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        long now = time.milliseconds();
        if (baseOffsets.isEmpty()) {
            long base = Math.max(0, logStartCheckpoint);
            segments.put(base, LogSegment.create(dir, base, config, now));
        } else {
            long recoverFrom = cleanShutdown ? Long.MAX_VALUE : recoveryStartSegment(baseOffsets, recoveryPoint);
            openSegments(baseOffsets, segments, recoverFrom, now);
        }
        LogSegment active = segments.lastEntry().getValue();
        for (LogSegment segment : segments.values()) {
            if (segment != active) {
                segment.onBecomeInactive();
            }
        }
        active.makeActive();
        long logEnd = active.readNextOffset();
        long logStart = Math.min(Math.max(logStartCheckpoint, segments.firstKey()), logEnd);
        epochCache.truncateFromEnd(logEnd);
        epochCache.truncateFromStart(logStart);
        rebuildProducerState(segments, logStart, logEnd);
        return new Result(segments, logStart, logEnd);
    }

    private static long recoveryStartSegment(List<Long> baseOffsets, long recoveryPoint) {
        long start = baseOffsets.get(0);
        for (long base : baseOffsets) {
            if (base <= recoveryPoint) {
                start = base;
            }
        }
        return start;
    }

    private void openSegments(List<Long> baseOffsets, ConcurrentSkipListMap<Long, LogSegment> segments,
                              long recoverFrom, long now) throws IOException {
        for (int i = 0; i < baseOffsets.size(); i++) {
            long base = baseOffsets.get(i);
            long nextBase = i + 1 < baseOffsets.size() ? baseOffsets.get(i + 1) : Long.MAX_VALUE;
            LogSegment segment = LogSegment.open(dir, base, config, now);
            segments.put(base, segment);
            if (base >= recoverFrom) {
                int cut = recoverSegment(segment);
                if (cut > 0) {
                    deleteSegmentsAfter(baseOffsets.subList(i + 1, baseOffsets.size()), now);
                    return;
                }
            } else if (!segment.loadIndexes(nextBase)) {
                LOG.warn("{}Index files of segment {} are missing or inconsistent; rebuilding them", logPrefix, base);
                recoverSegment(segment);
            }
        }
    }

    private int recoverSegment(LogSegment segment) throws IOException {
        int before = (int) segment.channel().size();
        int cut = segment.recover(Math.max(config.maxMessageBytes(), config.segmentBytes()),
                batch -> epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset()));
        if (cut > 0) {
            LOG.warn("{}Recovery cut {} bytes of torn or corrupt data from segment {}: kept positions [0, {}), "
                    + "dropped [{}, {}); next offset is {}", logPrefix, cut, segment.baseOffset(), segment.size(),
                    segment.size(), before, segment.readNextOffset());
        }
        return cut;
    }

    private void deleteSegmentsAfter(List<Long> later, long now) throws IOException {
        for (long base : later) {
            LOG.warn("{}Recovery deleted segment {} because an earlier segment was truncated", logPrefix, base);
            LogSegment.open(dir, base, config, now).closeAndDelete();
        }
    }

    /**
     * Finishes a log-cleaner swap a crash interrupted (Kafka's {@code .swap} protocol). A
     * {@code <base>.log.swap} file is written completely and fsynced before it is renamed from
     * {@code .cleaned}, so it is always whole: every segment it replaces (base offsets from its own
     * base up to its next offset) is deleted and the swap file takes its final name. Its indexes
     * are rebuilt from the log file. {@code .cleaned} files, written only partly, are deleted later
     * by {@link #cleanDirectory()}, which leaves the originals in place.
     */
    private void completeSwaps() throws IOException {
        List<Long> swaps = new ArrayList<>();
        List<Long> logs = new ArrayList<>();
        String swapLog = LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(swapLog)) {
                    swaps.add(parseOffset(name, swapLog));
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    logs.add(parseOffset(name, LogSegment.LOG_SUFFIX));
                }
            }
        }
        Collections.sort(swaps);
        for (long base : swaps) {
            for (String index : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, index) + LogSegment.SWAP_SUFFIX));
            }
            LogSegment swap = LogSegment.open(dir, base, config, time.milliseconds(), LogSegment.SWAP_SUFFIX);
            swap.recover(Math.max(config.maxMessageBytes(), config.segmentBytes()), batch -> { });
            long next = Math.max(swap.readNextOffset(), base + 1);
            for (long replaced : logs) {
                if (replaced >= base && replaced < next) {
                    for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX,
                            LogSegment.TIME_INDEX_SUFFIX)) {
                        Files.deleteIfExists(dir.resolve(LogSegment.fileName(replaced, suffix)));
                    }
                }
            }
            swap.changeFileSuffix(LogSegment.SWAP_SUFFIX, "");
            swap.close();
            LOG.info("{}Completed an interrupted log-cleaner swap of segment {} (offsets up to {})",
                    logPrefix, base, next - 1);
        }
    }

    /** Deletes temporary and half-deleted files and orphan indexes; returns segment base offsets. */
    private List<Long> cleanDirectory() throws IOException {
        List<Long> logs = new ArrayList<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")
                        || name.endsWith(".cleaned") || name.endsWith(".swap")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    logs.add(parseOffset(name, LogSegment.LOG_SUFFIX));
                } else if (name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(LogSegment.TIME_INDEX_SUFFIX)) {
                    indexes.add(file);
                }
            }
        }
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            long base = parseOffset(name, name.substring(name.indexOf('.')));
            if (!logs.contains(base)) {
                LOG.warn("{}Deleting index {} that has no log file", logPrefix, name);
                Files.deleteIfExists(index);
            }
        }
        Collections.sort(logs);
        return logs;
    }

    private static long parseOffset(String name, String suffix) {
        return Long.parseLong(name.substring(0, name.length() - suffix.length()));
    }

    private void rebuildProducerState(ConcurrentSkipListMap<Long, LogSegment> segments, long logStart, long logEnd)
            throws IOException {
        long snapshotOffset = producerState.loadLatestSnapshot(logEnd);
        long replayFrom = Math.max(snapshotOffset, logStart);
        replay(segments, replayFrom, producerState::replay);
    }

    /** Calls {@code sink} with every batch whose base offset is >= {@code from}, in order. */
    static void replay(ConcurrentSkipListMap<Long, LogSegment> segments, long from,
                       java.util.function.Consumer<BatchHeader> sink) throws IOException {
        Long startKey = segments.floorKey(from);
        if (startKey == null) {
            startKey = segments.firstKey();
        }
        for (LogSegment segment : segments.tailMap(startKey, true).values()) {
            BatchHeader batch = segment.translateOffset(from);
            while (batch != null) {
                if (batch.baseOffset() >= from) {
                    sink.accept(batch);
                }
                batch = segment.readHeader(batch.position() + batch.sizeInBytes());
            }
        }
    }
}
