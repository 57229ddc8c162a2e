package io.vigil.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.conformance.ConformanceScenarios.Scenario;
import org.junit.jupiter.api.Test;

/** The vendored scenarios are all on the classpath, each with its expected state. */
class ScenarioFilesTest {

    @Test
    void everyVendoredScenarioIsFoundWithBothFiles() {
        assertThat(ConformanceScenarios.all()).hasSize(16);
        for (Scenario scenario : ConformanceScenarios.all().values()) {
            assertThat(scenario.events().getFileName()).hasToString(scenario.name() + ".jsonl");
            assertThat(scenario.expected().getFileName()).hasToString(scenario.name() + ".expected.json");
            assertThat(scenario.eventLines()).as(scenario.name()).isNotEmpty().allMatch(line -> line.startsWith("{"));
            assertThat(scenario.expectedJson()).as(scenario.name()).startsWith("{");
        }
    }

    @Test
    void aScenarioIsFoundByName() {
        assertThat(ConformanceScenarios.named("05-partially-degraded-proxy").events())
                .isEqualTo(ConformanceScenarios.all().get("05-partially-degraded-proxy").events());
    }

    @Test
    void anUnknownNameSaysWhereItLooked() {
        assertThatThrownBy(() -> ConformanceScenarios.named("99-no-such-scenario"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99-no-such-scenario")
                .hasMessageContaining(ConformanceScenarios.RESOURCE_DIR);
    }
}
