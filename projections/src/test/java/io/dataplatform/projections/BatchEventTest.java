package io.dataplatform.projections;

import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchEventTest {

    public static final class Order {
        public String item;
        public int quantity;
    }

    @TempDir
    Path dir;

    @Test
    void eventsCarryTheirPlaceInTheStoreAndDecodeAsJsonOrAreSkipped() throws Exception {
        try (StoreFixture stores = StoreFixture.open(dir)) {
            stores.append("orders", "o-1", "{\"item\":\"tea\",\"quantity\":2,\"note\":\"unknown fields are ignored\"}");
            stores.append("orders", "o-2", "not json");
            try (StoreReader reader = Storage.openReader(dir.toString(), StoreId.of("orders"))) {
                Batch batch = new Batch(StoreId.of("orders"), reader.read(0), Batch.newMapper());
                List<Order> decoded = new ArrayList<>();
                for (BatchEvent event : batch) {
                    Order order = event.jsonOrSkip(Order.class);
                    if (order != null) {
                        decoded.add(order);
                    }
                }
                assertThat(decoded).hasSize(1);
                assertThat(decoded.get(0).item).isEqualTo("tea");
                assertThat(decoded.get(0).quantity).isEqualTo(2);
                assertThat(batch.skippedCount()).isEqualTo(1);
                BatchEvent first = batch.get(0);
                BatchEvent second = batch.get(1);
                assertThat(first.position()).isZero();
                assertThat(second.position()).isEqualTo(first.next());
                assertThat(second.next()).isEqualTo(batch.next());
                assertThat(first.version()).isEqualTo(1);
                assertThat(second.version()).isEqualTo(2);
                assertThat(second.streamId()).isEqualTo("o-2");
                assertThat(second.dataAsString()).isEqualTo("not json");
                assertThat(second.dataLength()).isEqualTo(8);
                assertThat(first.timestamp()).isPositive();
                assertThatThrownBy(() -> second.json(Order.class)).isInstanceOf(EventDecodeException.class)
                        .hasMessageContaining("position " + second.position()).hasMessageContaining("o-2");
            }
        }
    }
}
