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
            "pay-only payments",
            "payments-dashboard-token payments read",
            "explicit-writer-token default write"));

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
    void aTokenReadsTheMeshesItMayWriteAndAReadLineOnlyReads() {
        assertThat(tokens.authenticate("Bearer s3cr3t")).contains(new Tokens.Grant(false, Set.of("default", "payments"), true));
        assertThat(tokens.authenticate("Bearer root-token")).hasValueSatisfying(grant -> assertThat(grant.covers("any")).isTrue());
        Tokens.Grant reader = tokens.authenticate("Bearer payments-dashboard-token").orElseThrow();
        assertThat(reader.mayWrite()).isFalse();
        assertThat(reader.covers("payments")).isTrue();
        assertThat(reader.covers("default")).isFalse();
        assertThat(tokens.check("Bearer payments-dashboard-token", Set.of("payments"))).isEqualTo(Tokens.Verdict.READ_ONLY);
        assertThat(tokens.check("Bearer explicit-writer-token", Set.of("default"))).isEqualTo(Tokens.Verdict.ALLOWED);
    }

    @Test
    void anEmptyBearerTokenNeverMatches() {
        assertThat(tokens.authenticate("Bearer ")).isEmpty();
        assertThat(tokens.authenticate("Bearer    ")).isEmpty();
        assertThat(tokens.check("Bearer", Set.of())).isEqualTo(Tokens.Verdict.UNAUTHENTICATED);
    }

    @Test
    void anEmptyOrWhitespaceOnlyTokenIsRefusedNamingItsLine() {
        // A no-break space is whitespace to a reader, though not to String.strip(): it must not become a token.
        assertThatThrownBy(() -> Tokens.parse(List.of("first-token-long-enough *", "\u00a0 payments")))
                .hasMessage("tokens line 2: the token is empty or only whitespace");
        assertThatThrownBy(() -> Tokens.parse(List.of("\u2007\u00a0\u202f default,payments read")))
                .hasMessage("tokens line 1: the token is empty or only whitespace");
        // A templated line whose token came out empty leaves only the mesh list.
        assertThatThrownBy(() -> Tokens.parse(List.of("   default,payments"))).hasMessageContaining("line 1")
                .hasMessageContaining("one field");
        assertThatThrownBy(() -> Tokens.admin(" \t\n")).hasMessageContaining("empty");
    }

    @Test
    void aShortTokenWorksButDrawsAWarningThatNamesItsLineNotTheToken() {
        Tokens parsed = Tokens.parse(List.of("# comment", "a-long-enough-token-here *", "sh0rt default"));
        assertThat(parsed.check("Bearer sh0rt", Set.of("default"))).isEqualTo(Tokens.Verdict.ALLOWED);
        assertThat(parsed.warnings()).singleElement().asString().startsWith("tokens line 3: ").contains("shorter than 16 bytes")
                .doesNotContain("sh0rt");
        assertThat(Tokens.parse(List.of("exactly-16-bytes *")).warnings()).isEmpty();
    }

    @Test
    void aRepeatedTokenOrABadAccessFieldIsRefused() {
        assertThatThrownBy(() -> Tokens.parse(List.of("twice-the-same-token default", "twice-the-same-token payments")))
                .hasMessage("tokens line 2: the same token as line 1; give each token one line");
        assertThatThrownBy(() -> Tokens.parse(List.of("a-long-enough-token-here default payments")))
                .hasMessageContaining("line 1").hasMessageContaining("read or write").hasMessageNotContaining("a-long-enough");
        assertThatThrownBy(() -> Tokens.parse(List.of("a-long-enough-token-here default read extra")))
                .hasMessageContaining("4 fields").hasMessageNotContaining("a-long-enough");
    }

    @Test
    void aMalformedLineIsNamedWithoutItsToken() {
        assertThatThrownBy(() -> Tokens.parse(List.of("ok *", "leaky-secret")))
                .hasMessageContaining("line 2").hasMessageNotContaining("leaky-secret");
        assertThatThrownBy(() -> Tokens.parse(List.of("# only comments"))).hasMessageContaining("no token");
    }
}
