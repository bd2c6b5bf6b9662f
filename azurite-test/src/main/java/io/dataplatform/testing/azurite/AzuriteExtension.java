package io.dataplatform.testing.azurite;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(AzuriteExtension.class)} makes sure the JVM's
 * {@link Azurite#shared() emulator} runs before the class's tests (installing and starting it on
 * first use) and injects it into constructors, lifecycle and test methods that take an
 * {@link Azurite} parameter. The emulator is stopped when the JVM exits. Stateless.
 */
public final class AzuriteExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        Azurite.shared();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return Azurite.shared();
    }
}
