package io.dataplatform.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokensTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String WRITER = "writer-token-0123456789";
    private static final String TENANT = "tenant-token-0123456789";

    private static Tokens sample() {
        return Tokens.parse(List.of(
                "# the operators",
                ADMIN + " admin",
                "",
                "   " + WRITER + "   write:sales, read:sales,read:audit",
                TENANT + " read:tenant-a-*"), "test");
    }

    @Test
    void linesGiveEachTokenItsScopes() {
        Tokens tokens = sample();
        assertThat(tokens.size()).isEqualTo(3);
        Tokens.Grant writer = tokens.find(WRITER).orElseThrow();
        assertThat(writer.allows(Tokens.Access.WRITE, "sales")).isTrue();
        assertThat(writer.allows(Tokens.Access.READ, "audit")).isTrue();
        assertThat(writer.allows(Tokens.Access.WRITE, "audit")).isFalse();
        assertThat(writer.allows(Tokens.Access.READ, "sales-2")).isFalse();
        assertThat(writer.allows(Tokens.Access.ADMIN, null)).isFalse();
    }

    @Test
    void adminMayDoEverything() {
        Tokens.Grant admin = sample().find(ADMIN).orElseThrow();
        for (Tokens.Access access : Tokens.Access.values()) {
            assertThat(admin.allows(access, "any-store")).isTrue();
        }
    }

    @Test
    void starMatchesEveryStoreAndPrefixStarItsPrefix() {
        Tokens.Grant tenant = sample().find(TENANT).orElseThrow();
        assertThat(tenant.allows(Tokens.Access.READ, "tenant-a-orders")).isTrue();
        assertThat(tenant.allows(Tokens.Access.READ, "tenant-b-orders")).isFalse();
        assertThat(tenant.allows(Tokens.Access.READ, null)).as("listing: some store is readable").isTrue();
        Tokens.Grant all = Tokens.fromEnvironment("reader-token-0123456789 read:*").find("reader-token-0123456789").orElseThrow();
        assertThat(all.allows(Tokens.Access.READ, "whatever")).isTrue();
        assertThat(all.allows(Tokens.Access.WRITE, "whatever")).isFalse();
    }

    @Test
    void unknownTokensAndNearMissesAreNotFound() {
        Tokens tokens = sample();
        assertThat(tokens.find("admin-token-012345678")).isEmpty();
        assertThat(tokens.find(ADMIN + " ")).isEmpty();
        assertThat(tokens.find("")).isEmpty();
        assertThat(tokens.find(null)).isEmpty();
    }

    @Test
    void environmentFormSeparatesLinesWithSemicolons() {
        Tokens tokens = Tokens.fromEnvironment(ADMIN + " admin;" + WRITER + " write:sales;# comment;");
        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.find(WRITER)).isPresent();
    }

    @Test
    void fileIsRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# tokens\r\n" + ADMIN + " admin\r\n");
        assertThat(Tokens.fromFile(file).find(ADMIN)).isPresent();
    }

    @Test
    void badLinesAreRefusedNamingTheLineButNeverTheToken() {
        String secret = "very-secret-token-0123";
        assertThatThrownBy(() -> Tokens.parse(List.of(secret), "f")).hasMessageContaining("f, line 1")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> Tokens.parse(List.of("#", secret + " reed:sales"), "f"))
                .hasMessageContaining("line 2").hasMessageContaining("unknown scope").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> Tokens.parse(List.of(secret + " read:Sales"), "f")).hasMessageContaining("store id");
        assertThatThrownBy(() -> Tokens.parse(List.of(secret + " write:"), "f")).hasMessageContaining("store id");
        assertThatThrownBy(() -> Tokens.parse(List.of(secret + " read:../x"), "f")).hasMessageContaining("store id");
        assertThatThrownBy(() -> Tokens.parse(List.of("short admin"), "f")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> Tokens.parse(List.of(secret + " admin", secret + " read:*"), "f"))
                .hasMessageContaining("line 2").hasMessageContaining("already").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> Tokens.parse(List.of(secret + " ,"), "f")).hasMessageContaining("at least one scope");
    }

    @Test
    void toStringNeverShowsTokens() {
        assertThat(sample().toString()).doesNotContain(ADMIN).contains("3");
        assertThat(NodeConfig.defaults().withTokens(sample()).toString()).doesNotContain(ADMIN);
    }
}
