package io.dataplatform.views;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TmpTimingTest {
    @TempDir Path temp;
    @Test
    void time() {
        long t0 = System.nanoTime();
        try (ViewStore store = ViewStores.open(temp.toString())) {
            ViewContainer c = store.container("t");
            long t1 = System.nanoTime();
            System.err.println("open ms " + (t1 - t0) / 1e6);
            for (int i = 0; i < 200; i++) {
                c.commit(List.of(ViewChange.write("k" + (i % 5), "{}".getBytes())), Checkpoint.at(i));
            }
            long t2 = System.nanoTime();
            System.err.println("commit ms each " + (t2 - t1) / 1e6 / 200);
        }
        long t3 = System.nanoTime();
        System.err.println("total ms " + (t3 - t0) / 1e6);
    }
}
