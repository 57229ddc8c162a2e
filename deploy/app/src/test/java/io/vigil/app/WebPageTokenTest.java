package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page where reads need a token, in headless Chromium: it asks for one, says when one is
 * refused, then shows only the token's meshes and follows the live stream with it. The token is
 * kept in the tab's sessionStorage only, never in localStorage, a cookie or any URL the page asked for.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(ReadAccessTest.ReadTokens.class)
class WebPageTokenTest {

    private static final String RED_READER = "red-reader-token-0123456789";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TestHTTPResource("/")
    URL root;

    @Test
    void thePageAsksForATokenAndShowsOnlyItsMeshesLive() {
        String dataplane = "web-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start("red", List.of(dataplane), T0));
        ChangeEvents.post(ChangeEvents.start("blue", List.of(dataplane), T0));

        ChromeDriver browser = HeadlessChromium.start();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            JavascriptExecutor page = browser;
            browser.get(root.toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));

            browser.findElement(By.id("token")).sendKeys("a-token-nobody-issued");
            browser.findElement(By.cssSelector("#token-form button[type='submit']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-refused")));

            browser.findElement(By.id("token")).sendKeys(RED_READER);
            browser.findElement(By.cssSelector("#token-form button[type='submit']")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token-form")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#mesh option[value='red']")));
            assertThat(browser.findElements(By.cssSelector("#mesh option[value='blue']"))).as("another mesh is not listed").isEmpty();
            new Select(browser.findElement(By.id("mesh"))).selectByValue("red");
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#dataplanes tr[data-name='" + dataplane + "'][data-status='online']")));
            wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
            page.executeScript("window.vigilTestMark = true;");

            ChangeEvents.post(ChangeEvents.flips("red", List.of(dataplane), 1, 1, T0));
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#dataplanes tr[data-name='" + dataplane + "'][data-status='offline']")));
            assertThat(page.executeScript("return window.vigilTestMark === true;")).as("changed live, without a reload").isEqualTo(true);

            assertThat(page.executeScript("return sessionStorage.getItem('vigil.read-token');")).isEqualTo(RED_READER);
            assertThat(page.executeScript("return localStorage.length;")).isEqualTo(0L);
            assertThat(page.executeScript("return document.cookie;")).isEqualTo("");
            @SuppressWarnings("unchecked")
            List<String> requested = (List<String>) page.executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);");
            assertThat(requested).isNotEmpty().noneMatch(url -> url.contains(RED_READER));
            assertThat(browser.findElement(By.id("forget-token")).isDisplayed()).isTrue();
            assertThat(HeadlessChromium.scriptProblems(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }
}
