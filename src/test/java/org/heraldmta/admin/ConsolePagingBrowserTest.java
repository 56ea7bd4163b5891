package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.heraldmta.testkit.FakeAdminApi;
import org.heraldmta.testkit.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A queue longer than a page, from a stand-in admin API that pages as docs/API.md says: the console asks for one
 * page at a time with the search's filters, and marks every request as its own.
 */
class ConsolePagingBrowserTest {

    private static final int TOTAL = 120;

    private static String page(Context ctx) {
        int offset = Integer.parseInt(ctx.queryParamAsClass("offset", String.class).getOrDefault("0"));
        int limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("50"));
        String domain = ctx.queryParamAsClass("domain", String.class).getOrDefault("many.test");
        String entries = IntStream.range(offset, Math.min(TOTAL, offset + limit)).mapToObj(i -> """
                {"id": "MSG%03d", "sender": "shop@sender.test", "domain": "%s", "recipients": ["r%d@%s"],
                 "state": "deferred", "received": "%s", "age_seconds": %d, "size": 900, "attempts": 1,
                 "next_attempt": null, "reason": "retry later", "reason_until": null, "last_reply": null}"""
                .formatted(TOTAL - i, domain, i, domain, Instant.now().minusSeconds(i), i))
                .collect(Collectors.joining(","));
        return "{\"total\": %d, \"offset\": %d, \"limit\": %d, \"entries\": [%s]}".formatted(TOTAL, offset, limit,
                entries);
    }

    @Test
    void theMessagesPageAsksForOnePageAtATimeAndKeepsTheFilters() throws Exception {
        try (FakeAdminApi api = FakeAdminApi.start(); HeadlessChromium chromium = HeadlessChromium.start()) {
            api.answer("GET /api/v1/status", """
                    {"hostname": "paging.test", "version": "0.1.0", "started": "2026-12-04T00:00:00Z",
                     "uptime_seconds": 60, "smtp_listeners": [], "queue": {}, "connections_in_use": 0,
                     "counters": {}}""")
                    .answer("GET /api/v1/queue", ConsolePagingBrowserTest::page);
            WebDriver browser = chromium.driver();
            WebDriverWait waiting = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(10))
                    .ignoring(StaleElementReferenceException.class);

            browser.get("http://127.0.0.1:" + api.port() + "/#/messages");
            List<String> first = waiting.until(driver -> ids(driver, 50));
            assertThat(first).startsWith("MSG120").endsWith("MSG071");
            assertThat(browser.findElement(By.cssSelector(".pager")).getText()).contains("Page 1 of 3");

            waiting.until(driver -> {
                driver.findElement(By.xpath("//button[contains(., 'Next')]")).click();
                return true;
            });
            List<String> second = waiting.until(driver -> {
                List<String> shown = ids(driver, 50);
                return shown != null && shown.getFirst().equals("MSG070") ? shown : null;
            });
            assertThat(second).endsWith("MSG021");
            assertThat(browser.getCurrentUrl()).endsWith("#/messages?offset=50");

            WebElement domain = browser.findElement(By.cssSelector("#search input[name=domain]"));
            domain.sendKeys("other.test");
            browser.findElement(By.cssSelector("#search button[type=submit]")).click();
            waiting.until(driver -> driver.getCurrentUrl().endsWith("#/messages?domain=other.test"));
            waiting.until(driver -> driver.findElement(By.cssSelector("[data-table=messages]")).getText()
                    .contains("other.test"));

            List<FakeAdminApi.Request> asked = api.requests().stream()
                    .filter(r -> r.path().equals("/api/v1/queue")).toList();
            assertThat(asked).extracting(r -> r.query().get("offset")).contains(List.of("0"), List.of("50"));
            assertThat(asked.getLast().query()).containsEntry("domain", List.of("other.test"))
                    .containsEntry("offset", List.of("0"));
            assertThat(api.requests()).allSatisfy(r -> assertThat(r.heraldConsole()).isEqualTo("1"));
            assertThat(chromium.consoleErrors()).isEmpty();
        }
    }

    /** The queue ids shown, once there are {@code expected} of them. */
    private static List<String> ids(WebDriver driver, int expected) {
        List<String> ids = driver.findElements(By.cssSelector("[data-table=messages] a[data-id]")).stream()
                .map(WebElement::getText).toList();
        return ids.size() == expected ? ids : null;
    }
}
