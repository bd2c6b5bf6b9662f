package io.dataplatform.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The short name a projection plugin is known by in {@code projection.class} (as {@code stream-counts}),
 * besides its class name and simple class name. Lowercase letters, digits and dashes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProjectionName {
    String value();
}
