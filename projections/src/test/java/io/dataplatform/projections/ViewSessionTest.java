package io.dataplatform.projections;

import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewSessionTest {

    public static final class Counter {
        public long n;
    }

    ViewStore store;
    ViewContainer container;

    @BeforeEach
    void open() {
        store = ViewStores.open("memory:" + UUID.randomUUID());
        container = store.container("session");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void eachViewIsLoadedOnceAndTheSameObjectServesEveryEvent() {
        container.write("a", new Counter());
        ViewSession session = new ViewSession(container);
        Counter first = session.edit("a", Counter.class, Counter::new);
        first.n++;
        Counter again = session.read("a", Counter.class);
        assertThat(again).isSameAs(first);
        assertThat(session.edit("a", Counter.class, Counter::new)).isSameAs(first);
    }

    @Test
    void theSessionSeesItsOwnChangesBeforeTheyAreCommitted() {
        container.write("gone", new Counter());
        ViewSession session = new ViewSession(container);
        Counter written = new Counter();
        written.n = 7;
        session.write("new", written);
        assertThat(session.read("new", Counter.class).n).isEqualTo(7);
        assertThat(session.exists("new")).isTrue();
        assertThat(session.delete("gone")).isTrue();
        assertThat(session.exists("gone")).isFalse();
        assertThat(session.read("gone", Counter.class)).isNull();
        assertThat(container.exists("new")).as("nothing is written before the commit").isFalse();
        assertThat(container.exists("gone")).isTrue();
    }

    @Test
    void theSessionKnowsWhatChangedAndOnlyThatIsCommitted() {
        container.write("read-only", new Counter());
        ViewSession session = new ViewSession(container);
        session.read("read-only", Counter.class).n = 99; // changed in memory, never marked
        session.edit("edited", Counter.class, Counter::new).n = 1;
        session.readOrNew("untouched", Counter.class, Counter::new);
        session.delete("edited-then-deleted");
        assertThat(session.changedKeys()).containsExactly("edited", "edited-then-deleted");
        List<ViewChange> changes = session.changes();
        assertThat(changes).extracting(ViewChange::key).containsExactly("edited", "edited-then-deleted");
        assertThat(changes.get(1).isDelete()).isTrue();
        container.commit(changes, null);
        assertThat(container.read("read-only", Counter.class).n).isZero();
        assertThat(container.read("edited", Counter.class).n).isEqualTo(1);
        assertThat(container.exists("untouched")).isFalse();
    }

    @Test
    void markingAViewChangedNeedsItReadFirstAndTypesMustAgree() {
        ViewSession session = new ViewSession(container);
        assertThatThrownBy(() -> session.changed("never-read")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never-read");
        session.write("typed", new Counter());
        assertThatThrownBy(() -> session.read("typed", String.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("typed");
    }
}
