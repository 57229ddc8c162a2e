package io.vigil.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

    @Test
    void takesTheResolvedPathsAndTheLoaderFromLddsOutput() {
        String ldd = """
                \tlinux-vdso.so.1 (0x00007ffd7b5f2000)
                \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f0c1a2b1000)
                \tlibjli.so => /opt/jre/bin/../lib/libjli.so (0x00007f0c1a2a0000)
                \tlibjvm.so => not found
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c1a0bf000)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f0c1a2d8000)
                """;

        assertThat(NativeLibraries.parse(ldd)).containsExactly("/lib/x86_64-linux-gnu/libz.so.1", "/opt/jre/bin/../lib/libjli.so",
                "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void aStaticBinaryNeedsNothing() {
        assertThat(NativeLibraries.parse("\tnot a dynamic executable\n")).isEmpty();
    }
}
