package io.dataplatform.cli.client;

import picocli.CommandLine.Option;

import java.io.IOException;

/** The options of commands that write views: where the view store is. A picocli mixin. */
final class ViewLocation {

    @Option(names = "--location", description = "A storage location: views go to its .views directory.")
    String location;

    @Option(names = "--views", description = "The view store location (a directory), overriding --location.")
    String views;

    /** The view store these options name: --views, else <--location>/.views, else a temporary directory. */
    BenchViews open() throws IOException {
        return BenchViews.open(views, location);
    }
}
