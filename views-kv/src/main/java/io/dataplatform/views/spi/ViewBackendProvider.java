package io.dataplatform.views.spi;

import java.io.IOException;

/**
 * A view backend plugin, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.dataplatform.views.spi.ViewBackendProvider}). Implementations need
 * a public no-argument constructor and must be thread-safe.
 */
public interface ViewBackendProvider {

    /** The short name used in configuration: {@code file}, {@code memory}, {@code azure}. */
    String name();

    /**
     * Whether {@code location} has this backend's form (a directory path; {@code memory:name};
     * an Azure connection string with {@code |container}). Exactly one provider should accept a
     * location; the first matching one in service order is used otherwise.
     */
    boolean accepts(String location);

    /** Opens the backend at {@code location}; the caller closes it. */
    ViewBackend open(String location) throws IOException;
}
