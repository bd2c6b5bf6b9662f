package io.dataplatform.client;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record damaged on disk after its commit never reaches a reader as data: a large raw answer
 * leaves the node's file unverified (sendfile) and the client's checksum check stops it; a JSON
 * answer is verified by the node (500 {@code corrupt_log}).
 */
class DamagedRecordOverHttpTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedRecordIsCaughtByTheClientOrTheNodeNeverReturned() throws Exception {
        StoreId store = StoreId.of("damaged");
        try (Node node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0));
             PlatformClient client = PlatformClient.remote(node.endpoint(), store)) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                events.add(new NewEvent("s", new byte[1024]));
            }
            client.append(events);
            long damagedAt = damageRecord(dir.resolve("damaged/chunks/00000000000000000000.dat"), 150);

            assertThatThrownBy(() -> client.remoteReader().read(0, 100_000, 4 << 20))
                    .isInstanceOfSatisfying(CorruptLogException.class,
                            e -> assertThat(e.getMessage()).contains("damaged").contains(Long.toString(damagedAt)));

            HttpResponse<String> json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            node.endpoint().resolve("/stores/damaged/events?from=0&limit=1000"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(500);
            assertThat(json.body()).contains("corrupt_log");
        }
    }

    /** Flips a byte of the data of record {@code index} (0-based); returns the record's position. */
    private static long damageRecord(Path chunk, int index) throws Exception {
        try (FileChannel file = FileChannel.open(chunk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = 0;
            ByteBuffer length = ByteBuffer.allocate(4);
            for (int i = 0; i < index; i++) {
                file.read(length.clear(), at);
                at += 8 + length.getInt(0);
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            file.read(one, at + 100);
            one.put(0, (byte) (one.get(0) ^ 0x40));
            file.write(one.rewind(), at + 100);
            return at;
        }
    }
}
