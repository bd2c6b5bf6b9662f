package io.dataplatform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.rules.StorageLocation.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageLocationTest {

    private static final String AZURITE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=c2VjcmV0;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    @ParameterizedTest
    @ValueSource(strings = {"./data", "/var/lib/dp", "data", "C:\\data\\stores", "/data/run=1", "/data/a;b=c",
            "relative/rocksdb/dir", "memory", "/tmp/x|y", "Data with spaces"})
    void aDirectoryPathMeansFiles(String location) {
        StorageLocation parsed = StorageLocation.parse(location);
        assertThat(parsed.kind()).isEqualTo(Kind.FILE);
        assertThat(parsed.directory()).isEqualTo(Path.of(location));
        assertThat(parsed.container()).isNull();
        assertThat(StorageLocation.is(location, Kind.FILE)).isTrue();
    }

    @Test
    void rocksdbPrefixNamesTheDatabaseDirectory() {
        StorageLocation parsed = StorageLocation.parse("rocksdb:/var/lib/views");
        assertThat(parsed.kind()).isEqualTo(Kind.ROCKSDB);
        assertThat(parsed.directory()).isEqualTo(Path.of("/var/lib/views"));
        assertThat(parsed.kind().backendName()).isEqualTo("rocksdb");
        assertThat(parsed).hasToString("rocksdb:/var/lib/views");
        assertThatThrownBy(() -> StorageLocation.parse("rocksdb:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no directory");
        assertThat(StorageLocation.kindOf("rocksdb:  ")).isNull();
        assertThat(StorageLocation.kindOf("rocksdb:?blockCacheMiB=64")).isNull();
        StorageLocation tuned = StorageLocation.parse("rocksdb:/var/lib/views?blockCacheMiB=64&compression=zstd");
        assertThat(tuned.kind()).isEqualTo(Kind.ROCKSDB);
        assertThat(tuned.address()).isEqualTo("/var/lib/views?blockCacheMiB=64&compression=zstd");
        assertThat(tuned.directory()).as("the parameters are the backend's, not the directory's").isEqualTo(Path.of("/var/lib/views"));
    }

    @Test
    void memoryPrefixNamesASpaceOfThisJvm() {
        assertThat(StorageLocation.parse("memory:")).isEqualTo(new StorageLocation(Kind.MEMORY, "", null));
        assertThat(StorageLocation.parse("memory:tests")).isEqualTo(new StorageLocation(Kind.MEMORY, "tests", null));
        assertThatThrownBy(() -> StorageLocation.parse("memory:x").directory()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAzureConnectionStringMeansBlobsWithAnOptionalContainer() {
        StorageLocation plain = StorageLocation.parse(AZURITE);
        assertThat(plain.kind()).isEqualTo(Kind.AZURE);
        assertThat(plain.address()).isEqualTo(AZURITE);
        assertThat(plain.container()).isNull();

        StorageLocation withContainer = StorageLocation.parse(AZURITE + "|views-2");
        assertThat(withContainer.kind()).isEqualTo(Kind.AZURE);
        assertThat(withContainer.address()).isEqualTo(AZURITE);
        assertThat(withContainer.container()).isEqualTo("views-2");

        assertThat(StorageLocation.kindOf("UseDevelopmentStorage=true")).isEqualTo(Kind.AZURE);
        assertThat(StorageLocation.kindOf("usedevelopmentstorage=true|views")).isEqualTo(Kind.AZURE);
        assertThat(StorageLocation.kindOf("BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=sv=1&sig=x"))
                .isEqualTo(Kind.AZURE);
    }

    @Test
    void anAzureContainerFollowsTheNameRule() {
        assertThatThrownBy(() -> StorageLocation.parse(AZURITE + "|Views"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a container name holds only lowercase letters")
                .hasMessageContaining("AccountKey=***")
                .hasMessageNotContaining("c2VjcmV0");
        assertThat(StorageLocation.kindOf(AZURITE + "|")).isNull();
    }

    @Test
    void secretsNeverShowInTheLocationsText() {
        assertThat(StorageLocation.parse(AZURITE + "|views").toString())
                .contains("AccountKey=***", "|views").doesNotContain("c2VjcmV0");
        assertThat(StorageLocation.redacted("BlobEndpoint=x;SharedAccessSignature=sv=2&sig=abc"))
                .isEqualTo("BlobEndpoint=x;SharedAccessSignature=***&sig=***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void aBlankLocationIsRefused(String location) {
        assertThatThrownBy(() -> StorageLocation.parse(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a storage location is required");
        assertThat(StorageLocation.kindOf(location)).isNull();
        assertThat(StorageLocation.kindOf(null)).isNull();
    }

    @Test
    void everyKindNamesItsBackend() {
        assertThat(Kind.FILE.backendName()).isEqualTo("file");
        assertThat(Kind.AZURE.backendName()).isEqualTo("azure");
        assertThat(Kind.MEMORY.backendName()).isEqualTo("memory");
    }
}
