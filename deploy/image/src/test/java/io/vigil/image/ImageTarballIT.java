package io.vigil.image;

import static io.vigil.image.ImageAssertions.assertVigilImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tarball that {@code -Pimage} just built (the profile runs this test after the image is written). */
class ImageTarballIT {

    @Test
    void theBuiltImageIsTheVigilImageWithARuntimeAndItsNativeLibraries() throws IOException {
        OciTarball image = OciTarball.read(Path.of(System.getProperty("image.tarball")));

        assertVigilImage(image);
        assertThat(image.name()).isEqualTo(System.getProperty("image.name"));
        assertThat(image.files()).as("the C library and its loader, from the build host")
                .containsKeys("lib64/ld-linux-x86-64.so.2").anySatisfy((path, entry) -> assertThat(path).endsWith("/libc.so.6"));
        assertThat(image.files().keySet()).as("a headless runtime: no X11")
                .noneMatch(path -> path.contains("libX11"));
        assertThat(image.files()).containsKeys("opt/java/lib/server/libjvm.so", "opt/java/lib/modules");
    }
}
