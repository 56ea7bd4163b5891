package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heraldmta.testkit.HeadlessChromium;
import org.heraldmta.testkit.HeraldWithQueue;
import org.heraldmta.testkit.Submitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * With {@code [admin] token} set, the console opened once as {@code /?token=...} loads its assets, keeps the token
 * for the tab, sends it as a bearer token on every request and reads the live tail with it.
 */
class ConsoleWithTokenBrowserTest {

    private static final String TOKEN = "console-token-7f3a9";

    @TempDir
    Path work;

    @Test
    void theTokenFromTheAddressIsKeptAndSentOnEveryRequestIncludingTheLiveTail() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start();
             HeraldWithQueue herald = HeraldWithQueue.start(work, 1, 0, TOKEN)) {
            WebDriverWait waiting = new WebDriverWait(chromium.driver(), Duration.ofSeconds(10));
            String id = herald.deferredIds().get(0);

            chromium.driver().get("http://" + herald.adminAddress() + "/?token=" + TOKEN + "#/messages");
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[data-id='" + id + "']")));
            assertThat(chromium.driver().executeScript("return sessionStorage.getItem('herald.token')"))
                    .isEqualTo(TOKEN);

            chromium.driver().findElement(By.linkText("Live events")).click();
            waiting.until(ExpectedConditions.textToBe(By.id("live-state"), "live"));
            String late = Submitter.submit("127.0.0.1", herald.smtpPort(), "shop@sender.test",
                    List.of("late@dead.test"), "token-live-2");
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), late));

            assertThat(chromium.consoleErrors()).isEmpty();
        }
    }

    @Test
    void withoutTheTokenThePageSaysWhatItNeeds() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start();
             HeraldWithQueue herald = HeraldWithQueue.start(work, 0, 0, TOKEN)) {
            chromium.driver().get("http://" + herald.adminAddress() + "/");

            assertThat(chromium.driver().findElement(By.tagName("body")).getText()).contains("Bearer");
        }
    }
}
