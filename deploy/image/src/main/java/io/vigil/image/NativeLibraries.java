package io.vigil.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's shared libraries that a Java runtime links against (the C library, its loader,
 * zlib, libstdc++...), found with {@code ldd} on every ELF file of the runtime. An image from
 * scratch has none of them, so they go in at the paths the runtime's binaries look for them.
 * Only for a Linux build host of the image's architecture: the image reuses the host's libraries.
 */
final class NativeLibraries {

    /** {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)} or {@code /lib64/ld-linux-x86-64.so.2 (0x...)}. */
    private static final Pattern LIBRARY = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    /**
     * glibc loads this one itself when a thread is cancelled or unwinds, so no binary names it;
     * without it such a thread aborts the JVM.
     */
    private static final String UNWINDER = "libgcc_s.so.1";

    /**
     * java.desktop's graphics, font and sound libraries: vigil needs the module (java.beans) but
     * never draws, so the X11, font and image libraries they pull in stay out (the JVM runs with
     * {@code java.awt.headless=true}).
     */
    private static final Pattern DESKTOP = Pattern.compile("lib(j?awt.*|splashscreen|jsound|fontmanager|lcms|javajpeg|mlib_image)\\.so");

    private NativeLibraries() {
    }

    /** Every library outside {@code runtime} that its binaries need, by its path in the image (sorted), each with the host file. */
    static Map<String, Path> of(Path runtime) throws IOException, InterruptedException {
        Map<String, Path> libraries = new TreeMap<>();
        Path realRuntime = runtime.toRealPath();
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(file -> !DESKTOP.matcher(file.getFileName().toString()).matches()).filter(NativeLibraries::isElf).toList()) {
                for (String library : ldd(file)) {
                    Path host = Path.of(library);
                    if (!host.toRealPath().startsWith(realRuntime)) {
                        libraries.put(library, host);
                    }
                }
            }
        }
        libraries.keySet().stream().filter(path -> path.endsWith("/libc.so.6")).findFirst().ifPresent(libc -> {
            Path unwinder = Path.of(libc).resolveSibling(UNWINDER);
            if (Files.exists(unwinder)) {
                libraries.put(unwinder.toString(), unwinder);
            }
        });
        if (libraries.isEmpty()) {
            throw new IllegalStateException("ldd found no libraries for " + runtime + ": not a dynamically linked Linux runtime?");
        }
        return libraries;
    }

    /** The absolute library paths in ldd's output, the loader's included. */
    static List<String> parse(String lddOutput) {
        List<String> libraries = new ArrayList<>();
        for (String line : lddOutput.split("\n")) {
            Matcher library = LIBRARY.matcher(line);
            if (library.matches()) {
                libraries.add(library.group(1));
            }
        }
        return libraries;
    }

    private static List<String> ldd(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        // ldd fails on a static binary ("not a dynamic executable"): it needs nothing then.
        return parse(output);
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
