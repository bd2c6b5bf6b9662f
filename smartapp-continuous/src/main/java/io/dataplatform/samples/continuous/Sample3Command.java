package io.dataplatform.samples.continuous;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code sample3}: the three StackExchange projections. */
@Command(name = "sample3", mixinStandardHelpOptions = true, description = "Runs the sample-3 projections.")
final class Sample3Command implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
