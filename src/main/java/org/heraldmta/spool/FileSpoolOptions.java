package org.heraldmta.spool;

/**
 * Tuning of a {@link FileSpool}; {@link #defaults()} suits production.
 *
 * @param segmentBytes             a journal segment is closed and a new one started once it is this large
 * @param memoryThreshold          content up to this many bytes is buffered in memory; beyond, in a temp file
 * @param compactBelowLiveFraction a closed segment whose still-needed bytes fall below this share of its size is
 *                                 compacted (its live records copied forward, then the file deleted)
 * @param channels                 how segment files are opened for writing (tests inject failures here)
 * @param forceListener            told the duration of every force of the journal (for metrics)
 */
public record FileSpoolOptions(long segmentBytes, int memoryThreshold, double compactBelowLiveFraction,
                               SegmentChannels channels, ForceListener forceListener) {

    public FileSpoolOptions {
        if (segmentBytes < RecordHeader.BYTES || memoryThreshold < 0) {
            throw new IllegalArgumentException("segmentBytes and memoryThreshold are too small");
        }
        if (compactBelowLiveFraction < 0 || compactBelowLiveFraction > 1) {
            throw new IllegalArgumentException("compactBelowLiveFraction must be between 0 and 1");
        }
        if (channels == null) {
            throw new IllegalArgumentException("channels are required");
        }
        if (forceListener == null) {
            throw new IllegalArgumentException("forceListener is required (ForceListener.NONE for none)");
        }
    }

    public FileSpoolOptions(long segmentBytes, int memoryThreshold, double compactBelowLiveFraction,
                            SegmentChannels channels) {
        this(segmentBytes, memoryThreshold, compactBelowLiveFraction, channels, ForceListener.NONE);
    }

    public static FileSpoolOptions defaults() {
        return new FileSpoolOptions(64L * 1024 * 1024, 1024 * 1024, 0.25, SegmentChannels.FILES);
    }

    public FileSpoolOptions withSegmentBytes(long bytes) {
        return new FileSpoolOptions(bytes, memoryThreshold, compactBelowLiveFraction, channels, forceListener);
    }

    public FileSpoolOptions withMemoryThreshold(int bytes) {
        return new FileSpoolOptions(segmentBytes, bytes, compactBelowLiveFraction, channels, forceListener);
    }

    public FileSpoolOptions withCompactBelowLiveFraction(double fraction) {
        return new FileSpoolOptions(segmentBytes, memoryThreshold, fraction, channels, forceListener);
    }

    public FileSpoolOptions withChannels(SegmentChannels segmentChannels) {
        return new FileSpoolOptions(segmentBytes, memoryThreshold, compactBelowLiveFraction, segmentChannels,
                forceListener);
    }

    public FileSpoolOptions withForceListener(ForceListener listener) {
        return new FileSpoolOptions(segmentBytes, memoryThreshold, compactBelowLiveFraction, channels, listener);
    }
}
