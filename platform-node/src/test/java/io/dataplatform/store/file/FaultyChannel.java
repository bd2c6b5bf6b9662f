package io.dataplatform.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A {@link FileChannel} that passes every call to a real one, except where {@link DiskFaults}
 * says to fail: writes that write less than asked, a sync that throws, a write into a full disk,
 * reads that return damaged bytes.
 */
final class FaultyChannel extends FileChannel {

    private final FileChannel real;
    private final Path path;
    private final DiskFaults faults;

    FaultyChannel(FileChannel real, Path path, DiskFaults faults) {
        this.real = real;
        this.path = path;
        this.faults = faults;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = real.read(dst);
        faults.afterRead(path, dst, start, n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int start = dst.position();
        int n = real.read(dst, position);
        faults.afterRead(path, dst, start, n);
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        faults.beforeWrite(path);
        ByteBuffer part = faults.shorten(src);
        int n = real.write(part);
        if (part != src) {
            src.position(src.position() + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        faults.beforeWrite(path);
        ByteBuffer part = faults.shorten(src);
        int n = real.write(part, position);
        if (part != src) {
            src.position(src.position() + n);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        faults.beforeWrite(path);
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.beforeSync(path);
        real.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        faults.beforeWrite(path);
        return real.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
