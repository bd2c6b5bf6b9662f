package io.dataplatform.store.file;

import io.dataplatform.store.EngineCommitWaitContract;

/** The commit waits of the engine's own readers, on files. */
class EngineCommitWaitTest extends EngineCommitWaitContract {

    EngineCommitWaitTest() {
        super(new FileLocations());
    }
}
