package io.dataplatform.views;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;
import java.io.IOException;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/** A real backend whose containers are wrapped by a test (counting, failing). */
final class WrappedBackend implements ViewBackend {

    private final ViewBackend delegate;
    private final UnaryOperator<BackendContainer> wrap;
    private final boolean transientFailures;

    WrappedBackend(ViewBackend delegate, UnaryOperator<BackendContainer> wrap, boolean transientFailures) {
        this.delegate = delegate;
        this.wrap = wrap;
        this.transientFailures = transientFailures;
    }

    static ViewBackend real(String location) throws IOException {
        for (ViewBackendProvider provider : ServiceLoader.load(ViewBackendProvider.class)) {
            if (provider.accepts(location)) {
                return provider.open(location);
            }
        }
        throw new IllegalArgumentException(location);
    }

    @Override
    public BackendContainer openContainer(String name, boolean writer) throws IOException {
        return wrap.apply(delegate.openContainer(name, writer));
    }

    @Override
    public java.util.List<String> containers() throws IOException {
        return delegate.containers();
    }

    @Override
    public void dropContainer(String name) throws IOException {
        delegate.dropContainer(name);
    }

    /** Failures a test marks as {@link TransientFailure} are transient, as the backend says otherwise. */
    @Override
    public boolean isTransient(IOException failure) {
        return failure instanceof TransientFailure || delegate.isTransient(failure) && transientFailures;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    static final class TransientFailure extends IOException {
        private static final long serialVersionUID = 1L;

        TransientFailure(String message) {
            super(message);
        }
    }
}
