package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    private final Tokens tokens = Tokens.parse(List.of(
            "# operators",
            "s3cr3t default,payments",
            "",
            "root-token *   # everything",
            "pay-only payments"));

    @Test
    void aTokenMayWriteItsMeshes() {
        assertThat(tokens.check("Bearer s3cr3t", Set.of("default", "payments"))).isEqualTo(Tokens.Verdict.ALLOWED);
        assertThat(tokens.check("bearer pay-only", Set.of("payments"))).isEqualTo(Tokens.Verdict.ALLOWED);
    }

    @Test
    void aStarTokenMayWriteEveryMesh() {
        assertThat(tokens.check("Bearer root-token", Set.of("anything", "else"))).isEqualTo(Tokens.Verdict.ALLOWED);
    }

    @Test
    void aTokenThatMissesOneMeshOfTheRequestIsForbidden() {
        assertThat(tokens.check("Bearer pay-only", Set.of("payments", "default"))).isEqualTo(Tokens.Verdict.FORBIDDEN);
    }

    @Test
    void noTokenAnUnknownOneOrAnotherSchemeIsUnauthenticated() {
        assertThat(tokens.check(null, Set.of())).isEqualTo(Tokens.Verdict.UNAUTHENTICATED);
        assertThat(tokens.check("Bearer nope", Set.of())).isEqualTo(Tokens.Verdict.UNAUTHENTICATED);
        assertThat(tokens.check("Basic czNjcjN0", Set.of())).isEqualTo(Tokens.Verdict.UNAUTHENTICATED);
        assertThat(tokens.check("Bearer s3cr3t-and-more", Set.of())).isEqualTo(Tokens.Verdict.UNAUTHENTICATED);
    }

    @Test
    void aMalformedLineIsNamedWithoutItsToken() {
        assertThatThrownBy(() -> Tokens.parse(List.of("ok *", "leaky-secret")))
                .hasMessageContaining("line 2").hasMessageNotContaining("leaky-secret");
        assertThatThrownBy(() -> Tokens.parse(List.of("# only comments"))).hasMessageContaining("no token");
    }
}
