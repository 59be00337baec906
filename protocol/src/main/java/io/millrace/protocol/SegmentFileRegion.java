package io.millrace.protocol;

import io.netty.channel.DefaultFileRegion;

/**
 * A zero-copy region of a segment file. It extends {@link DefaultFileRegion} so that Netty's
 * epoll transport sends it with sendfile(2), but unlike its parent it never closes the file
 * channel when released: the channel belongs to the segment and is shared by every reader.
 */
public final class SegmentFileRegion extends DefaultFileRegion {

    public SegmentFileRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.sizeBytes());
    }

    @Override
    protected void deallocate() {
        // The segment owns the channel; see the class comment.
    }
}
