package io.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Writes the measured part of BENCHMARKS.md from the rows {@link BenchResults} collected: the
 * machine, the date, the command, one table of medians, and the profile. Only the text between
 * the {@code measured} markers is replaced; the analysis around it is written by people.
 * Arguments: {@code ROWS_TSV PROFILE_TXT BENCHMARKS_MD COMMAND}.
 */
public final class BenchReport {

    static final String BEGIN = "<!-- measured:begin (./vigil bench rewrites this part) -->";
    static final String END = "<!-- measured:end -->";

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        List<String> rows = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        String profile = Files.exists(Path.of(args[1])) ? Files.readString(Path.of(args[1])) : "";
        Path markdown = Path.of(args[2]);
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n");
        out.append("Measured ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" on ").append(machine()).append(", with `").append(args[3]).append("`.\n\n");
        out.append("| section | measurement | median | unit | runs | target |\n|---|---|---:|---|---|---|\n");
        for (String row : rows) {
            String[] cells = row.split("\t", -1);
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        if (!profile.isBlank()) {
            out.append("\nAggregator profile at saturation (JFR, transaction intervals 10/100/1000 ms):\n\n```\n")
                    .append(profile.strip()).append("\n```\n");
        }
        out.append('\n').append(END);
        String existing = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(markdown + " lacks the markers " + BEGIN + " ... " + END);
        }
        Files.writeString(markdown, existing.substring(0, begin) + out + existing.substring(end + END.length()));
    }

    private static String machine() throws IOException {
        Optional<String> cpu = Files.lines(Path.of("/proc/cpuinfo")).filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        Optional<String> memory = Files.lines(Path.of("/proc/meminfo")).filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB").findFirst();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu.orElse("unknown CPU") + "), "
                + memory.orElse("? GiB") + " RAM, Java " + System.getProperty("java.version");
    }
}
