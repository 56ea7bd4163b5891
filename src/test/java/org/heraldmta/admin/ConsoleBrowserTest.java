package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.heraldmta.testkit.HeadlessChromium;
import org.heraldmta.testkit.HeraldWithQueue;
import org.heraldmta.testkit.Submitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium against a real Herald with a real queue (mail to dead.test waits
 * because its MX host refuses connections; mail to sink.test was delivered). Screenshots land in
 * target/screenshots/ for a person to look at.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    @TempDir
    static Path work;

    private static HeraldWithQueue herald;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.start();
        herald = HeraldWithQueue.start(work, 3, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (herald != null) {
            herald.close();
        }
    }

    private WebDriver browser() {
        return chromium.driver();
    }

    private WebDriverWait waiting() {
        // the console redraws its pages every few seconds: an element found a moment ago may have been replaced
        return (WebDriverWait) new WebDriverWait(browser(), Duration.ofSeconds(10), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class);
    }

    /** Loads the console afresh (a change of the address's #fragment alone would keep the page as it was). */
    private void open(String hash) {
        browser().get("about:blank");
        browser().get("http://" + herald.adminAddress() + "/" + hash);
    }

    /** The text of the element, read again if the page redrew it meanwhile. */
    private String text(By selector) {
        return waiting().until(driver -> driver.findElement(selector).getText());
    }

    /** Clicks the element, found again if the page redrew it meanwhile. */
    private void click(By selector) {
        waiting().until(driver -> {
            driver.findElement(selector).click();
            return true;
        });
    }

    private WebElement shown(By selector) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(selector));
    }

    @Test
    @Order(1)
    void aDeferredMessageIsFoundItsTranscriptReadAndARetryConfirmedMakesAnotherAttempt() throws Exception {
        // Adelaide is 9:30 or 10:30 from UTC: minutes that moved by half an hour show the browser's zone is used
        chromium.driver().executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Australia/Adelaide"));
        open("");
        assertThat(shown(By.cssSelector("[data-count=deferred]")).getText()).isEqualTo("3");
        shown(By.cssSelector("#timeline rect"));
        chromium.screenshot("dashboard");

        browser().findElement(By.linkText("Domains")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-table=domains] table"),
                "dead.test"));
        chromium.screenshot("domains");
        click(By.xpath("//td[a='dead.test']/ancestor::tr//button[text()='Settings']"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("info"), "Effective settings"));
        assertThat(text(By.id("info"))).contains("Effective settings of dead.test", "direct_attempts", "50",
                "domains.\"dead.test\"");
        click(By.cssSelector("#info button"));

        browser().findElement(By.linkText("Messages")).click();
        String id = herald.deferredIds().get(0);
        shown(By.cssSelector("a[data-id='" + id + "']"));
        chromium.screenshot("messages");
        sortMessagesById("ascending");
        assertThat(messageIds()).isSortedAccordingTo(String::compareTo).hasSize(3);
        sortMessagesById("descending");
        assertThat(messageIds()).isSortedAccordingTo(java.util.Comparator.<String>reverseOrder()).hasSize(3);
        click(By.cssSelector("a[data-id='" + id + "']"));

        shown(By.cssSelector(".attempt[data-attempt='1'] .transcript"));
        assertThat(text(By.cssSelector(".attempt[data-attempt='1'] .transcript"))).contains(HeraldWithQueue.DEAD_MX_IP);
        assertThat(text(By.id("envelope"))).contains("<shop@sender.test>");
        Instant received = waiting().until(driver -> Instant.parse(
                driver.findElement(By.cssSelector("#envelope time")).getDomAttribute("datetime")));
        assertThat(text(By.cssSelector("#envelope time"))).contains(
                DateTimeFormatter.ofPattern(":mm:ss").withZone(ZoneId.of("Australia/Adelaide")).format(received));
        assertThat(text(By.id("footer"))).contains("Australia/Adelaide");
        assertThat(text(By.cssSelector(".reason"))).isNotBlank();
        int before = attempts();

        click(By.cssSelector("[data-action=retry]"));
        shown(By.id("confirm"));
        assertThat(browser().findElement(By.id("confirm-text")).getText()).contains(id);
        browser().findElement(By.id("confirm-ok")).click();

        waiting().withTimeout(Duration.ofSeconds(15)).until(driver -> attempts() > before);
        shown(By.cssSelector(".attempt[data-attempt='" + (before + 1) + "'] .transcript"));
        chromium.fullPageScreenshot("message-detail", 1500);

        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /**
     * Clicks the id column's header until the table says it is sorted that way. A click that lands while the page
     * redraws itself (every few seconds) can be lost with the element it hit; the header's aria-sort tells.
     */
    private void sortMessagesById(String direction) {
        By header = By.cssSelector("[data-table=messages] th[data-key=id]");
        waiting().until(driver -> {
            if (direction.equals(driver.findElement(header).getDomAttribute("aria-sort"))) {
                return true;
            }
            driver.findElement(header).click();
            return direction.equals(driver.findElement(header).getDomAttribute("aria-sort"));
        });
        waiting().until(driver -> messageIds().size() == 3);
    }

    private List<String> messageIds() {
        return waiting().until(driver -> driver.findElements(By.cssSelector("[data-table=messages] a[data-id]"))
                .stream().map(WebElement::getText).toList());
    }

    private int attempts() {
        return Integer.parseInt(text(By.id("attempt-count")).trim());
    }

    @Test
    @Order(2)
    void theRulesEditorShowsTheRulesOfTheFileAndTheServersReasonForABadValue() throws Exception {
        open("#/rules");
        WebElement editor = shown(By.id("rules-editor"));
        List<WebElement> names = editor.findElements(By.cssSelector(".rule-head input"));
        assertThat(names).extracting(e -> e.getDomProperty("value")).contains("dead.test");
        chromium.screenshot("rules");

        WebElement firstValue = editor.findElement(By.cssSelector(".rule .kv input[aria-label=value]"));
        String original = firstValue.getDomProperty("value");
        firstValue.clear();
        firstValue.sendKeys("\"soon\"");
        browser().findElement(By.id("rules-save")).click();
        WebElement refused = shown(By.cssSelector("#rules-status .notice.error"));
        assertThat(refused.getText()).startsWith("Not saved: ").contains("herald.toml", "dead.test");
        chromium.screenshot("rules-refused");
        // the refused save is the only error the page logged
        assertThat(chromium.consoleErrors()).allMatch(line -> line.contains("/api/v1/rules") && line.contains("400"));

        firstValue.clear();
        firstValue.sendKeys(original);
        browser().findElement(By.id("add-domain-rule")).click();
        WebElement added = editor.findElements(By.cssSelector(".rule")).getLast();
        added.findElement(By.cssSelector(".rule-head input")).sendKeys("quiet.test");
        added.findElement(By.cssSelector("input[aria-label=key]")).sendKeys("max_connections");
        added.findElement(By.cssSelector("input[aria-label=value]")).sendKeys("1");
        browser().findElement(By.id("rules-save")).click();

        assertThat(shown(By.cssSelector("#rules-status .notice.ok")).getText()).startsWith("Saved");
        assertThat(herald.get("/api/v1/rules")).contains("quiet.test");
        assertThat(java.nio.file.Files.readString(herald.configFile())).contains("# Herald under test", "quiet.test");
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void theLiveTailShowsAMessageArrivingAsItHappens() throws Exception {
        open("#/live");
        waiting().until(ExpectedConditions.textToBe(By.id("live-state"), "live"));

        String id = Submitter.submit("127.0.0.1", herald.smtpPort(), "shop@sender.test", List.of("late@sink.test"),
                "token-live-1");

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), id));
        assertThat(browser().findElement(By.id("live")).getText()).contains("received");
        chromium.screenshot("live");
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /** Last, as it changes the state of every message the other tests look at. */
    @Test
    @Order(4)
    void aWholeDomainIsHeldAndReleasedFromTheDomainsTableEachAfterConfirmation() throws Exception {
        open("#/domains");
        By hold = By.xpath("//td[a='dead.test']/ancestor::tr//button[@data-action='hold']");
        click(hold);
        assertThat(text(By.id("confirm-text"))).contains("every message to dead.test");
        click(By.id("confirm-cancel"));
        assertThat(herald.get("/api/v1/queue?state=held")).contains("\"total\":0");

        click(hold);
        click(By.id("confirm-ok"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "Hold: 3 message(s) affected."));
        assertThat(herald.get("/api/v1/queue?state=held")).contains("\"total\":3");

        click(By.xpath("//td[a='dead.test']/ancestor::tr//button[@data-action='release']"));
        click(By.id("confirm-ok"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "Release: 3 message(s) affected."));
        assertThat(herald.get("/api/v1/queue?state=held")).contains("\"total\":0");
        assertThat(chromium.consoleErrors()).isEmpty();
    }
}
