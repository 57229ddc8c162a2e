package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where tokens come from: the tokens file (refusals and warnings name the line, never the token)
 * or the admin token file, which appears whole and owner-only.
 */
class TokenSourceTest {

    @TempDir
    Path dir;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record.getLevel() + " " + (record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger(TokenSource.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(TokenSource.class.getName()).removeHandler(capture);
    }

    @Test
    void aShortTokenIsLoggedAsAWarningNamingTheFileAndLineButNotTheToken() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# ops\nthis-one-is-long-enough *\ntiny-s3cret payments read\n");

        Tokens tokens = TokenSource.load(Optional.of(file), dir);

        assertThat(tokens.authenticate("Bearer tiny-s3cret")).isPresent();
        assertThat(logged).anySatisfy(line -> assertThat(line).startsWith("WARN").contains(file.toString())
                .contains("tokens line 3").contains("shorter than 16 bytes"));
        assertThat(logged).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("tiny-s3cret")
                .doesNotContain("this-one-is-long-enough"));
    }

    @Test
    void anEmptyTokenInTheFileIsRefusedNamingTheFileAndLine() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "first-token-is-fine default\n\u00a0 payments\n");

        assertThatThrownBy(() -> TokenSource.load(Optional.of(file), dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": tokens line 2: the token is empty or only whitespace");
        assertThat(dir.resolve(TokenSource.ADMIN_TOKEN)).doesNotExist();
    }

    @Test
    void theAdminTokenIsCreatedOwnerOnlyWithNothingLeftBesideIt() throws Exception {
        Path dataDir = dir.resolve("data");

        Tokens tokens = TokenSource.load(Optional.empty(), dataDir);

        Path file = dataDir.resolve(TokenSource.ADMIN_TOKEN);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(file).strip();
        assertThat(token).hasSize(43);
        assertThat(tokens.authenticate("Bearer " + token)).hasValueSatisfying(grant -> assertThat(grant.everyMesh()).isTrue());
        try (var files = Files.list(dataDir)) {
            assertThat(files).as("no draft left behind").containsExactly(file);
        }
        assertThat(logged).anySatisfy(line -> assertThat(line).contains(file.toString())).noneSatisfy(line -> assertThat(line).contains(token));
        assertThat(TokenSource.load(Optional.empty(), dataDir).authenticate("Bearer " + token)).as("the next start reuses it").isPresent();
    }

    /** A hundred rounds, each on a fresh data dir, so that a window between creating and filling the file would be hit. */
    @Test
    void startsRacingOnAFreshDataDirAllSeeOneWholeToken() throws Exception {
        int starts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        try {
            for (int round = 0; round < 100; round++) {
                race(pool, starts, dir.resolve("data-" + round));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void race(ExecutorService pool, int starts, Path dataDir) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Tokens>> loaded = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            Callable<Tokens> start = () -> {
                go.await();
                return TokenSource.load(Optional.empty(), dataDir);
            };
            loaded.add(pool.submit(start));
        }
        go.countDown();
        String token = null;
        for (Future<Tokens> result : loaded) {
            Tokens tokens = result.get();
            token = token == null ? Files.readString(dataDir.resolve(TokenSource.ADMIN_TOKEN)).strip() : token;
            assertThat(tokens.authenticate("Bearer " + token)).as("every start holds the token in the file").isPresent();
        }
        assertThat(token).hasSize(43);
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(TokenSource.ADMIN_TOKEN);
        }
    }

    @Test
    void anEmptyAdminTokenFileIsRefusedRatherThanAcceptingAnEmptyToken() throws Exception {
        Files.createFile(dir.resolve(TokenSource.ADMIN_TOKEN), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertThatThrownBy(() -> TokenSource.load(Optional.empty(), dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin-token is empty");
    }

    @Test
    void anAdminTokenOthersMayReadDrawsAWarning() throws Exception {
        Path file = dir.resolve(TokenSource.ADMIN_TOKEN);
        Files.writeString(file, "an-existing-admin-token-of-enough-length\n");
        Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-r--r--")));

        TokenSource.load(Optional.empty(), dir);

        assertThat(logged).anySatisfy(line -> assertThat(line).startsWith("WARN").contains("chmod 600").contains("rw-r--r--"));
    }
}
