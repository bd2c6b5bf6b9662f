package io.dataplatform.store.file;

import io.dataplatform.store.StoreEngineContract;

/** The engine contract on files. */
class FileEngineContractTest extends StoreEngineContract {

    FileEngineContractTest() {
        super(new FileLocations());
    }
}
