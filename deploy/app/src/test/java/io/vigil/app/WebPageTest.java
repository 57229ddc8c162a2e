package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in headless Chromium: it shows a mesh's services, turns a service partially
 * degraded live (no reload) when one of its dataplanes disconnects, drills down to that
 * dataplane's inbounds, reasons and history (which follows it live as it reconnects), and
 * filters by name, without a script error or a content security policy violation.
 * Screenshots go to {@code target/web-page.png} and {@code target/web-page-dataplane.png}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class WebPageTest {

    private static final String TOKEN = "Bearer all-meshes-token";
    private static final Duration PIPELINE = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL root;

    @Test
    void serviceTurnsPartiallyDegradedLiveAndItsDataplaneDrillsDown() throws Exception {
        String mesh = "web-" + UUID.randomUUID().toString().substring(0, 8);
        post(upsert(mesh, "web-01", 8080) + "," + upsert(mesh, "web-02", 8081) + ","
                + streamEvent("stream-connected", mesh, "web-01", "10:00:01") + ","
                + streamEvent("stream-connected", mesh, "web-02", "10:00:02"));

        ChromeDriver browser = HeadlessChromium.start();
        try {
            WebDriverWait wait = new WebDriverWait(browser, PIPELINE);
            browser.get(root.toString());
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#mesh option[value='" + mesh + "']")));
            new Select(browser.findElement(By.id("mesh"))).selectByValue(mesh);
            WebElement online = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#services tr[data-name='web'][data-status='online']")));
            assertThat(online.getText()).contains("Online").contains("2 of 2");
            wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
            // A page load would drop this mark: it proves the change below arrives without one.
            ((JavascriptExecutor) browser).executeScript("window.vigilTestMark = true;");

            post(streamEvent("stream-disconnected", mesh, "web-02", "10:00:03"));

            WebElement degraded = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#services tr[data-name='web'][data-status='partially_degraded']")));
            assertThat(degraded.findElement(By.className("badge")).getText()).isEqualTo("Partially degraded");
            assertThat(degraded.getText()).contains("1 of 2");
            wait.until(ExpectedConditions.textToBe(By.cssSelector("#service-counts dd[data-status='partially_degraded']"), "1"));
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#dataplanes tr[data-name='web-02'][data-status='offline']")));
            assertThat(((JavascriptExecutor) browser).executeScript("return window.vigilTestMark === true;")).isEqualTo(true);
            screenshot(browser, "web-page.png");

            browser.findElement(By.linkText("web-02")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reasons"), "not connected"));
            WebElement inbound = browser.findElement(By.cssSelector("#inbounds tr[data-port='8081']"));
            assertThat(inbound.getText()).contains("web").contains("ready");
            assertThat(browser.findElement(By.id("dataplane-facts")).getText()).contains("Offline");
            // The disconnect happened before the drill-down opened: only the history API can show it.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "stream-disconnected"));
            assertThat(browser.findElement(By.id("history-note")).getText()).contains("last 24 hours");

            post(streamEvent("stream-connected", mesh, "web-02", "10:00:04"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dataplane-facts"), "Online"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "stream-connected"));
            screenshot(browser, "web-page-dataplane.png");

            browser.findElement(By.id("back")).click();
            browser.findElement(By.id("prefix")).sendKeys("web-01");
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dataplanes tbody tr"), 1));
            assertThat(browser.findElement(By.cssSelector("#dataplanes tbody tr")).getAttribute("data-name")).isEqualTo("web-01");
            assertThat(HeadlessChromium.scriptProblems(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }

    private static void post(String events) {
        given().contentType("application/json").header("Authorization", TOKEN).body("[" + events + "]")
                .post("/api/v1/events").then().statusCode(202);
    }

    private static String upsert(String mesh, String dataplane, int port) {
        return "{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                + "\"time\": \"2026-11-26T10:00:00Z\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": " + port + ", \"tags\": {\"kuma.io/service\": \"web\"}}]}}}";
    }

    private static String streamEvent(String type, String mesh, String dataplane, String time) {
        return "{\"type\": \"" + type + "\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                + "\"time\": \"2026-11-26T" + time + "Z\", \"instance\": \"cp-1\"}";
    }

    private static void screenshot(ChromeDriver browser, String name) throws java.io.IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
