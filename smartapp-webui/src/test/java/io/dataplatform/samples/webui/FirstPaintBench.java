package io.dataplatform.samples.webui;

import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Benchmark, not a test (tag {@code bench}, excluded from {@code mvn verify}): the page over
 * 10,000 tags and 100,000 users in headless Chromium; prints the first contentful paint, the time
 * until the tag table holds data, and the index build. Run:
 * {@code mvn -B -pl smartapp-webui -am verify -Dtest=FirstPaintBench -Dsurefire.failIfNoSpecifiedTests=false -Dtest.excludedGroups=slow}
 */
@Tag("bench")
class FirstPaintBench {
    @TempDir
    Path dir;

    @Test
    void firstPaintOverTenThousandTagsAndOneHundredThousandUsers() throws Exception {
        try (ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            Sample3Fixture fixture = new Sample3Fixture(views);
            for (int i = 0; i < 10_000; i++) {
                fixture.tag("tag-" + i, 1 + 200_000 / (i + 1));
            }
            for (int u = 1; u <= 100_000; u++) {
                long c = 1 + 5_000 / u;
                fixture.user(u, "User " + u, c, c, c, c, c, c / 2, c / 3);
            }
            long write = System.nanoTime();
            fixture.commit();
            System.out.printf(Locale.ROOT, "views written in %.1f s%n", (System.nanoTime() - write) / 1e9);
            try (WebUi ui = WebUi.start(views, ProcessingSource.NONE, () -> null, "127.0.0.1", 0, 250);
                 Browser browser = new Browser(1400, 1900)) {
                for (int run = 1; run <= 5; run++) {
                    browser.driver.get("about:blank");
                    long start = System.nanoTime();
                    browser.driver.get("http://127.0.0.1:" + ui.port() + "/");
                    new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> ((JavascriptExecutor) d)
                            .executeScript("return document.querySelectorAll('#tag-table tbody tr td.share').length > 0"));
                    long data = System.nanoTime() - start;
                    Object fcp = ((JavascriptExecutor) browser.driver).executeScript(
                            "const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null;");
                    Object tables = ((JavascriptExecutor) browser.driver).executeScript(
                            "return performance.now();");
                    System.out.printf(Locale.ROOT, "run %d: first contentful paint %s ms; tag table filled %.0f ms after navigation"
                            + " started (driver round trips included; page clock %s ms)%n", run, fcp, data / 1e6, tables);
                }
                new WebDriverWait(browser.driver, Duration.ofSeconds(120)).until(d -> ((JavascriptExecutor) d)
                        .executeScript("return fetch('api/summary').then(r => r.json()).then(s => s.index.generation > 0)"));
                Object build = ((JavascriptExecutor) browser.driver).executeScript(
                        "return fetch('api/summary').then(r => r.json()).then(s => s.index)");
                System.out.println("index: " + build);
                long search = System.nanoTime();
                ((JavascriptExecutor) browser.driver).executeScript("return fetch('api/users?q=User%2099&page=2').then(r => r.json())");
                System.out.printf(Locale.ROOT, "search over 100,000 users, page 2: %.0f ms%n", (System.nanoTime() - search) / 1e6);
            }
        }
    }
}
