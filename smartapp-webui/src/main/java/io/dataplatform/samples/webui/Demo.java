package io.dataplatform.samples.webui;

/** The one-command demo (placeholder until the sample-3 projections land on this branch). */
final class Demo {
    private Demo() {
    }

    static int run(WebUiMain options) {
        System.err.println("--demo needs the sample-3 projections");
        return 2;
    }
}
