package io.dataplatform.samples.webui;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Saves a screenshot of a running UI once its tables hold data (the picture in the README):
 * {@code java -cp <test class path> io.dataplatform.samples.webui.PageScreenshot URL OUT.png [WIDTH HEIGHT]}.
 */
public final class PageScreenshot {
    private PageScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 1400;
        int height = args.length > 3 ? Integer.parseInt(args[3]) : 1780;
        try (Browser browser = new Browser(width, height)) {
            browser.driver.get(args[0]);
            new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(d -> (Boolean) ((JavascriptExecutor) d)
                    .executeScript("return document.querySelectorAll('#user-table svg.spark').length > 0"
                            + " && document.querySelectorAll('#tag-table td.share').length > 0"));
            // Let the live feed deliver one more summary so the events/s column has a rate.
            String before = (String) ((JavascriptExecutor) browser.driver).executeScript("return document.body.dataset.updated;");
            new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> !java.util.Objects.equals(before,
                    ((JavascriptExecutor) d).executeScript("return document.body.dataset.updated;")));
            browser.screenshot(Path.of(args[1]));
            System.out.println("saved " + args[1]);
        }
        System.exit(0);
    }
}
