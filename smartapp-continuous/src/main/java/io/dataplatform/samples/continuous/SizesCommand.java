package io.dataplatform.samples.continuous;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code sample3}: event sizes. */
@Command(name = "sizes", mixinStandardHelpOptions = true, description = "Counts events by size.")
final class SizesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
