package io.dataplatform.views.rocksdb;

import java.io.IOException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** A RocksDB call failed: what was done, where, and RocksDB's status; transient for Busy, TryAgain and TimedOut. */
final class RocksFailure extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    private RocksFailure(String message, RocksDBException cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    static RocksFailure of(String what, Object where, RocksDBException cause) {
        Status status = cause.getStatus();
        Status.Code code = status == null ? null : status.getCode();
        boolean retry = code == Status.Code.Busy || code == Status.Code.TryAgain || code == Status.Code.TimedOut;
        return new RocksFailure(what + " (" + where + "): " + cause.getMessage(), cause, retry);
    }

    boolean isTransient() {
        return transientFailure;
    }
}
