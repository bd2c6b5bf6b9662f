package io.dataplatform.projections;

import java.util.List;

/** Counts events in view {@code total}, and throws on any event whose data is {@code boom}. */
@ProjectionName("throwing")
public final class ThrowingProjection implements Projection {

    /** The view. */
    public static final class Total {
        public long events;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(ConfigKey.optional("poison", ConfigType.STRING, "boom", "Data that makes this projection throw."));
    }

    private String poison = "boom";

    @Override
    public void start(ProjectionConfig config) {
        if (config.get("poison") != null) {
            poison = config.get("poison");
        }
    }

    @Override
    public void apply(Batch batch, ViewSession views) {
        Total total = views.edit("total", Total.class, Total::new);
        for (BatchEvent event : batch) {
            if (event.dataAsString().equals(poison)) {
                throw new IllegalStateException("cannot digest '" + poison + "'");
            }
            total.events++;
        }
    }
}
