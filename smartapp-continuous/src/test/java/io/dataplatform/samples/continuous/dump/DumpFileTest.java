package io.dataplatform.samples.continuous.dump;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DumpFileTest {

    @Test
    void tagsAreReadInBothForms() {
        assertThat(DumpFile.tags("<c#><.net><asp.net-mvc>")).containsExactly("c#", ".net", "asp.net-mvc");
        assertThat(DumpFile.tags("|c#|.net|asp.net-mvc|")).containsExactly("c#", ".net", "asp.net-mvc");
        assertThat(DumpFile.tags("")).isEmpty();
        assertThat(DumpFile.tags("|java||")).containsExactly("java");
        assertThat(DumpFile.tags("<java><>")).containsExactly("java");
    }
}
