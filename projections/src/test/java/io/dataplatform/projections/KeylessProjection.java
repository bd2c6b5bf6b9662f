package io.dataplatform.projections;

import java.util.List;

/** A broken plugin: its {@code configKeys()} throws, so the worker can never validate a configuration for it. */
@ProjectionName("keyless")
public final class KeylessProjection implements Projection {

    @Override
    public List<ConfigKey> configKeys() {
        throw new UnsupportedOperationException("the keys of keyless are lost");
    }

    @Override
    public void apply(Batch batch, ViewSession views) {
    }
}
