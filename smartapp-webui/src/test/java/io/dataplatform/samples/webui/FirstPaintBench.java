package io.dataplatform.samples.webui;

import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Locale;

/**
 * Benchmark, not a test (tag {@code bench}, excluded from {@code mvn verify}): the page over
 * 10,000 tags and 100,000 users in headless Chromium; prints the first contentful paint, the time
 * until the tag table holds data, and the index build. Run:
 * {@code smartapp-webui/bench.sh} (or, through Maven, {@code -Dtest=FirstPaintBench -Dtest.excludedGroups=slow}).
 */
@Tag("bench")
public class FirstPaintBench {
    /** Kept between runs (writing 210,000 views takes minutes on a busy disk): delete it to start over. */
    private static final Path VIEWS = Path.of("target", "bench-views");

    /** Runs the benchmark without Maven's test phase (the test class path on {@code -cp}). */
    public static void main(String[] args) throws Exception {
        new FirstPaintBench().firstPaintOverTenThousandTagsAndOneHundredThousandUsers();
        System.exit(0);
    }

    @Test
    void firstPaintOverTenThousandTagsAndOneHundredThousandUsers() throws Exception {
        boolean written = Files.exists(VIEWS.resolve("written"));
        try (ViewStore views = ViewStores.open(VIEWS.toString())) {
            if (!written) {
                long write = System.nanoTime();
                write(views);
                Files.writeString(VIEWS.resolve("written"), "10000 tags, 100000 users");
                System.out.printf(Locale.ROOT, "views written in %.1f s%n", (System.nanoTime() - write) / 1e9);
            }
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

    /** 10,000 tags and 100,000 users in the projections' shapes, 5,000 views a commit. */
    private static void write(ViewStore views) {
        ViewContainer tags = views.container(Sample3Views.POSTS_BY_TAG);
        ViewContainer users = views.container(Sample3Views.COMMENTS_BY_USER);
        ViewContainer weekdays = views.container(Sample3Views.COMMENTS_BY_WEEKDAY);
        List<ViewChange> changes = new ArrayList<>();
        StringBuilder top = new StringBuilder();
        long tagged = 0;
        for (int i = 0; i < 10_000; i++) {
            long posts = 1 + 200_000 / (i + 1);
            tagged += posts;
            changes.add(change("tag/tag-" + i, "{\"tag\":\"tag-" + i + "\",\"posts\":" + posts + "}"));
            if (i < 100) {
                top.append(i == 0 ? "" : ",").append("{\"key\":\"tag-").append(i).append("\",\"label\":\"tag-").append(i)
                        .append("\",\"count\":").append(posts).append('}');
            }
            flush(tags, changes, 5000);
        }
        changes.add(change("top", "{\"taggedPosts\":" + tagged + ",\"tags\":10000,\"unkeyedTags\":0,\"top\":{\"size\":100,\"entries\":["
                + top + "]}}"));
        changes.add(change("status", status(Sample3Views.POSTS_BY_TAG)));
        flush(tags, changes, 0);
        List<ViewChange> dayChanges = new ArrayList<>();
        StringBuilder userTop = new StringBuilder();
        long comments = 0;
        for (int u = 1; u <= 100_000; u++) {
            long c = 1 + 5_000 / u;
            long count = 5 * c + c / 2 + c / 3;
            comments += count;
            changes.add(change("user/" + u, "{\"userId\":" + u + ",\"name\":\"User " + u + "\",\"comments\":" + count + "}"));
            dayChanges.add(change("user/" + u, "{\"userId\":" + u + ",\"name\":\"User " + u + "\",\"days\":[" + c + "," + c + ","
                    + c + "," + c + "," + c + "," + c / 2 + "," + c / 3 + "]}"));
            if (u <= 100) {
                userTop.append(u == 1 ? "" : ",").append("{\"key\":\"").append(u).append("\",\"label\":\"User ").append(u)
                        .append("\",\"count\":").append(count).append('}');
            }
            flush(users, changes, 5000);
            flush(weekdays, dayChanges, 5000);
        }
        changes.add(change("top", "{\"comments\":" + comments + ",\"anonymousComments\":0,\"commenters\":100000,"
                + "\"top\":{\"size\":100,\"entries\":[" + userTop + "]}}"));
        changes.add(change("status", status(Sample3Views.COMMENTS_BY_USER)));
        flush(users, changes, 0);
        dayChanges.add(change("all", "{\"userId\":0,\"name\":null,\"days\":[" + comments / 6 + "," + comments / 6 + ","
                + comments / 6 + "," + comments / 6 + "," + comments / 6 + "," + comments / 12 + "," + comments / 18 + "]}"));
        dayChanges.add(change("status", status(Sample3Views.COMMENTS_BY_WEEKDAY)));
        flush(weekdays, dayChanges, 0);
    }

    private static void flush(ViewContainer container, List<ViewChange> changes, int atLeast) {
        if (changes.size() >= atLeast && !changes.isEmpty()) {
            container.commit(changes, null);
            changes.clear();
        }
    }

    private static String status(String projection) {
        return "{\"projection\":\"" + projection + "\",\"position\":1000,\"version\":1000,\"events\":1000,\"batches\":1,"
                + "\"lastUpdate\":\"" + Instant.now() + "\",\"lastEventTime\":\"" + Instant.now() + "\"}";
    }

    private static ViewChange change(String key, String json) {
        return ViewChange.write(key, json.getBytes(StandardCharsets.UTF_8));
    }
}
