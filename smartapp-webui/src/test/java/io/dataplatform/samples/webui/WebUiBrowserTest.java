package io.dataplatform.samples.webui;

import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in headless Chromium over real views (file backend, written as the projections commit
 * them): it loads without console errors, shows the known top tags and counts, follows new
 * commits without a reload, pages and searches. Saves a screenshot under {@code target/} on each run.
 */
class WebUiBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Known counts: 40 tags, Zipf-like, with names as in real dumps. */
    private static final Map<String, Long> TAGS = new LinkedHashMap<>();

    static {
        String[] names = {"javascript", "python", "java", "c#", "php", "android", "html", "jquery", "c++", "css",
            "ios", "sql", "mysql", "r", "reactjs", "node.js", "arrays", "c", "asp.net", "json", "ruby-on-rails",
            ".net", "sql-server", "swift", "python-3.x", "objective-c", "django", "angular", "excel", "regex",
            "pandas", "ruby", "linux", "ajax", "iphone", "vba", "xml", "laravel", "spring", "typescript"};
        for (int i = 0; i < names.length; i++) {
            TAGS.put(names[i], 24_000L / (i + 1) + 7 * i);
        }
    }

    @TempDir
    static Path dir;
    private static ViewStore views;
    private static Sample3Fixture fixture;
    private static WebUi ui;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        views = ViewStores.open(dir.resolve("views").toString());
        fixture = new Sample3Fixture(views);
        TAGS.forEach(fixture::tag);
        fixture.user(1, "Jeff Atwood", 65, 64, 65, 66, 66, 30, 20)
                .user(2, "Geoff Dalgas", 10, 12, 14, 9, 8, 2, 1)
                .user(3, "Jarrod Dixon", 5, 4, 3, 6, 7, 9, 12)
                .user(4, "Joel Spolsky", 1, 0, 2, 0, 3, 0, 0);
        fixture.commit();
        ui = WebUi.start(views, ProcessingSource.NONE, () -> null, "127.0.0.1", 0, 100);
        browser = new Browser(1400, 1900);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (ui != null) {
            ui.close();
        }
        if (views != null) {
            views.close();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + ui.port() + "/";
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser.driver, WAIT);
    }

    /** The rows' texts, read in one script (the table is replaced as updates arrive). */
    @SuppressWarnings("unchecked")
    private static List<String> rows(String table) {
        return (List<String>) ((JavascriptExecutor) browser.driver).executeScript(
                "return [...document.querySelectorAll(arguments[0] + ' tbody tr')]"
                        + ".map(r => r.innerText.replace(/\\s+/g, ' ').trim());", table);
    }

    private static List<String> tagRows() {
        return rows("#tag-table");
    }

    private static String firstUser() {
        List<String> users = rows("#user-table");
        return users.isEmpty() ? "" : users.get(0);
    }

    private static List<String> expectedTagRows(int count) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(TAGS.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add((i + 1) + " " + sorted.get(i).getKey() + " " + String.format(java.util.Locale.US, "%,d", sorted.get(i).getValue()));
        }
        return rows;
    }

    @Test
    void pageLoadsWithoutConsoleErrorsAndShowsTheKnownTopTags(TestInfo test) throws Exception {
        browser.driver.get(url());
        await().until(d -> tagRows().equals(expectedTagRows(12)));
        assertThat(browser.driver.findElement(By.id("stat-tags")).getText()).isEqualTo("40");
        long tagged = TAGS.values().stream().mapToLong(Long::longValue).sum();
        assertThat(browser.driver.findElement(By.id("stat-posts")).getText()).isEqualTo(String.format(java.util.Locale.US, "%,d", tagged));
        await().until(d -> firstUser().startsWith("1 Jeff Atwood"));
        assertThat(browser.driver.findElements(By.cssSelector("#user-table svg.spark[role=img]"))).hasSize(4);
        assertThat(browser.driver.findElement(By.cssSelector("#tag-chart svg")).getAttribute("aria-label"))
                .contains("javascript 24,000");
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot(Path.of("target", "webui-" + test.getTestMethod().orElseThrow().getName() + ".png"));
    }

    @Test
    void newlyProjectedEventsShowWithoutAReload() throws Exception {
        browser.driver.get(url());
        await().until(d -> !tagRows().isEmpty() && tagRows().get(0).contains("javascript"));
        ((JavascriptExecutor) browser.driver).executeScript("window.__sameDocument = 'yes';");
        fixture.tag("kotlin", 50_000);
        TAGS.merge("kotlin", 50_000L, Long::sum);
        fixture.user(5, "Ada Lovelace", 200, 200, 200, 200, 200, 200, 200);
        fixture.commit();
        await().until(d -> tagRows().get(0).equals("1 kotlin 50,000"));
        await().until(d -> firstUser().startsWith("1 Ada Lovelace"));
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.__sameDocument;")).isEqualTo("yes");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void searchAndPagesReachEveryTagFromTheKeyboard() throws Exception {
        browser.driver.get(url());
        await().until(d -> !tagRows().isEmpty() && !tagRows().get(0).contains("Indexing"));
        WebElement search = browser.driver.findElement(By.id("tag-search"));
        assertThat(browser.driver.findElement(By.cssSelector("label[for=tag-search]")).getText()).isEqualTo("Search tags");
        search.sendKeys("script");
        await().until(d -> tagRows().size() == 2 && tagRows().stream().allMatch(r -> r.contains("script")));
        search.sendKeys(Keys.ESCAPE);
        await().until(d -> tagRows().size() == 12);
        WebElement next = browser.driver.findElement(By.id("tag-next"));
        next.sendKeys(Keys.ENTER);
        await().until(d -> d.findElement(By.id("tag-page")).getText().startsWith("Page 2 of"));
        await().until(d -> tagRows().get(0).startsWith("13 "));
        search.sendKeys("no-such-tag");
        await().until(d -> tagRows().size() == 1 && tagRows().get(0).contains("No tag matches"));
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
