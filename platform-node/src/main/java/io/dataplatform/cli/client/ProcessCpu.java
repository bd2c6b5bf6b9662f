package io.dataplatform.cli.client;

import java.lang.management.ManagementFactory;

/**
 * The CPU time this JVM (the client) has used since a start, in cores over the wall time: printed
 * beside a rate so that a run bounded by the client's CPU shows as such. Reads the JVM's process
 * CPU time ({@code com.sun.management.OperatingSystemMXBean}); -1 where the JVM does not offer it.
 * Immutable.
 */
record ProcessCpu(long startCpuNanos, long startNanos) {

    static ProcessCpu start() {
        return new ProcessCpu(cpuNanos(), System.nanoTime());
    }

    /** Cores used on average since the start (1.0 = one core busy all the time); -1 if unknown. */
    double cores() {
        long cpu = cpuNanos();
        if (cpu < 0 || startCpuNanos < 0) {
            return -1;
        }
        return CommandResult.round((cpu - startCpuNanos) / (double) Math.max(1, System.nanoTime() - startNanos));
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
