package io.dataplatform.store.file;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Releases a file mapping at once instead of when the garbage collector finds its buffer
 * unreachable. A reader that maps a few MiB of a chunk per answer would otherwise hold mappings
 * (address space and map count) in proportion to how rarely the heap is collected. Java 17 has no
 * public way to do it; {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, open
 * to every class path) does exactly this. Where it is unavailable, the mapping is left to the
 * collector, as any mapping is.
 */
final class Mappings {

    private static final MethodHandle INVOKE_CLEANER = invokeCleaner();

    private Mappings() {
    }

    /**
     * Unmaps {@code buffer}. The caller guarantees that nothing reads the buffer, or any view of
     * it, afterwards: a read of an unmapped region crashes the process.
     */
    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
        } catch (Throwable e) {
            // left to the collector
        }
    }

    /** True if mappings are released at once on this JVM. */
    static boolean releasesAtOnce() {
        return INVOKE_CLEANER != null;
    }

    private static MethodHandle invokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
