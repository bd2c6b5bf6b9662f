package io.dataplatform.samples.webui;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.EventCodec;
import io.dataplatform.store.StoreId;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark: from appending one comment to the node of a running demo (started with
 * {@code --live-rate 0}) to the page showing the new comment count, without a reload:
 * {@code java -cp <test class path> io.dataplatform.samples.webui.LiveLatencyBench UI_URL NODE_URL [ROUNDS]}.
 * The page's own clock stamps the change (a MutationObserver), so the driver's round trips do not count.
 */
public final class LiveLatencyBench {
    private LiveLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        EventCodec codec = EventCodec.binary();
        try (Browser browser = new Browser(1400, 1000);
             PlatformClient client = PlatformClient.remote(URI.create(args[1]), StoreId.of("sample3"))) {
            JavascriptExecutor js = (JavascriptExecutor) browser.driver;
            browser.driver.get(args[0]);
            new WebDriverWait(browser.driver, Duration.ofSeconds(60))
                    .until(d -> !"–".equals(js.executeScript("return document.getElementById('stat-comments').textContent")));
            js.executeScript("window.__changes = []; new MutationObserver(() => window.__changes.push("
                    + "[Date.now(), document.getElementById('stat-comments').textContent]))"
                    + ".observe(document.getElementById('stat-comments'), {childList: true, characterData: true, subtree: true});");
            long[] millis = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long before = Long.parseLong(((String) js.executeScript(
                        "return document.getElementById('stat-comments').textContent")).replace(",", ""));
                int length = codec.encode(new CommentEvent(900_000_000L + System.nanoTime() % 1_000_000, 1, 0, "latency probe",
                        System.currentTimeMillis(), 1L, null, null));
                long appended = System.currentTimeMillis();
                client.append(CommentEvent.STREAM, Arrays.copyOf(codec.array(), length));
                String expected = String.format(Locale.US, "%,d", before + 1);
                new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> expected.equals(
                        js.executeScript("return document.getElementById('stat-comments').textContent")));
                Number shown = (Number) js.executeScript("const c = window.__changes.filter(x => x[1] === arguments[0]);"
                        + " return c.length ? c[0][0] : null;", expected);
                millis[i] = shown.longValue() - appended;
                System.out.printf(Locale.ROOT, "round %d: append to page %d ms%n", i + 1, millis[i]);
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "append to page over %d rounds: median %d ms, max %d ms, reloads 0 (same document)%n",
                    rounds, sorted[rounds / 2], sorted[rounds - 1]);
        }
        System.exit(0);
    }
}
