package io.streamlstm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamlstm.app.AppConfig;
import io.streamlstm.app.Main;
import io.streamlstm.app.Service;
import io.streamlstm.app.web.LivePage;
import io.streamlstm.detect.Score;
import io.streamlstm.detect.simulation.SimulatedReading;
import io.streamlstm.lstm.Models;
import io.streamlstm.streams.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser (headless Chromium) against a running service on a real broker: the fleet
 * lists the sensors sent, a sensor's chart marks the injected spike, the page follows new readings without a
 * reload, and a malformed record shows up among the dead letters. Saves a screenshot of each view to
 * {@code target/screenshots/} (the README's come from there).
 */
@ExtendWith(KafkaExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivePageIT {

  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final List<String> SENSORS = List.of("pump-1", "pump-2", "pump-3");
  private static final String SPIKED = "pump-2";
  private static final int PER_SENSOR = 800;
  private static final int SPIKE_AT = 600;
  private static final long START = Timestamps.parse("2026-03-01T00:00:00Z");
  private static final long STEP = 60_000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path stateDir;
  @TempDir static Path browserProfile;

  private static String bootstrapServers;
  private static ScoringRun run;
  private static Service service;
  private static LivePage page;
  private static WebDriver browser;
  private static String url;
  private static List<SimulatedReading> sent;

  @BeforeAll
  static void start(TestKafka kafka) throws Exception {
    assertTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "the browser test needs Debian's chromium and chromium-driver (.ci/run installs them)");
    bootstrapServers = kafka.bootstrapServers();
    run = new ScoringRun("live-page");
    Map<String, String> config = run.config(bootstrapServers, stateDir, 2);
    service = ScoringRun.startService(config);
    page = LivePage.serve(service, AppConfig.from(config));
    url = "http://localhost:" + service.httpPort() + "/";
    sent = readings();
    Clients.produce(bootstrapServers, run.readings, ScoringRun.records(sent));

    ChromeDriverService driver = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    // The system's browser and driver, given explicitly, so Selenium Manager has nothing to download.
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + browserProfile, "--window-size=1280,900");
    browser = new ChromeDriver(driver, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (page != null) page.close();
    if (service != null) service.close();
  }

  /** A noisy level for each sensor, one reading a minute; {@link #SPIKED} jumps by 8 noise widths once. */
  private static List<SimulatedReading> readings() {
    Random random = new Random(12);
    List<SimulatedReading> out = new ArrayList<>();
    for (int k = 0; k < PER_SENSOR; k++) {
      for (int s = 0; s < SENSORS.size(); s++) {
        double value = 20 + 15 * s + random.nextGaussian() + (SENSORS.get(s).equals(SPIKED) && k == SPIKE_AT ? 8 : 0);
        out.add(new SimulatedReading(SENSORS.get(s), START + k * STEP, value, false));
      }
    }
    return out;
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static long state(String field) {
    return ((Number) js("return (window.liveState || window.reportState)." + field + ";")).longValue();
  }

  private static void awaitState(String field, long atLeast) {
    new WebDriverWait(browser, WAIT).withMessage(() -> "liveState." + field + " stayed at " + state(field)
        + ", expected at least " + atLeast).until(b -> state(field) >= atLeast);
  }

  /** A table column's texts, read in one script: the page redraws its tables every second. */
  @SuppressWarnings("unchecked")
  private static List<String> column(String table, int column) {
    return (List<String>) js("return Array.from(document.querySelectorAll('#" + table + " tbody tr'))"
        + ".map(row => row.cells[" + column + "].innerText.trim());");
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(1)
  void theFleetListsEverySensorSentSortableAndFilterable() throws Exception {
    browser.get(url);
    awaitState("readings", sent.size());
    assertEquals(sent.size(), state("readings"), "every score read once");
    new WebDriverWait(browser, WAIT).until(b -> column("fleet", 0).size() == SENSORS.size());

    browser.findElement(By.cssSelector("#fleet th[data-key=id]")).click();
    assertEquals(SENSORS, column("fleet", 0), "sorted by id, ascending");
    browser.findElement(By.cssSelector("#fleet th[data-key=id]")).click();
    assertEquals(List.of("pump-3", "pump-2", "pump-1"), column("fleet", 0), "and descending");
    assertEquals(String.format("%,d", sent.size()), browser.findElement(By.id("count-readings")).getText());
    assertEquals("default " + Models.loadDefault().version(), browser.findElement(By.id("model")).getText(),
        "the model in use");
    screenshot("fleet");

    browser.findElement(By.id("filter")).sendKeys(SPIKED);
    assertEquals(List.of(SPIKED), column("fleet", 0), "filtered by id");
    browser.findElement(By.id("filter")).clear();
    js("document.getElementById('filter').dispatchEvent(new Event('input'));");
    assertEquals(SENSORS.size(), column("fleet", 0).size());
  }

  @Test
  @Order(2)
  void aSensorsChartMarksTheInjectedSpikeAsAnAnomaly() throws Exception {
    Map<String, Score> offline = ScoringRun.offlineScores(sent);
    assertTrue(offline.get(ScoringRun.at(SPIKED, START + SPIKE_AT * STEP)).anomaly(), "the detector flags the spike");
    long flagged = offline.entrySet().stream()
        .filter(e -> e.getKey().startsWith(SPIKED + "@") && e.getValue().anomaly()).count();

    browser.get(url + "#/sensor/" + SPIKED);
    awaitState("points", PER_SENSOR);
    assertEquals(flagged, state("anomalyMarkers"), "one marker per reading the detector flagged");
    assertTrue(((List<?>) js("return window.liveState.anomalyReasons;"))
            .contains(offline.get(ScoringRun.at(SPIKED, START + SPIKE_AT * STEP)).explanation().reason().name()),
        "the spike's marker is named by its reason");
    assertEquals(2, browser.findElements(By.cssSelector(".uplot canvas")).size(), "readings and surprise charts");
    assertTrue(browser.findElement(By.id("sensor-facts")).getText().contains(flagged + " flagged"),
        browser.findElement(By.id("sensor-facts")).getText());
    screenshot("sensor");
  }

  @Test
  @Order(3)
  void thePageFollowsNewReadingsWithoutAReload() {
    browser.get(url + "#/fleet");
    awaitState("readings", sent.size());
    js("window.sameDocument = true;"); // gone if the page reloaded
    List<SimulatedReading> more = new ArrayList<>();
    for (int k = PER_SENSOR; k < PER_SENSOR + 50; k++) more.add(new SimulatedReading("pump-1", START + k * STEP, 20.5, false));
    Clients.produce(bootstrapServers, run.readings, ScoringRun.records(more));

    awaitState("readings", sent.size() + more.size());
    new WebDriverWait(browser, WAIT).until(b -> browser.findElement(By.id("count-readings")).getText()
        .equals(String.format("%,d", sent.size() + more.size())));
    assertEquals(Boolean.TRUE, js("return window.sameDocument === true;"), "updated in place, not reloaded");
  }

  @Test
  @Order(4)
  void aMalformedRecordAppearsAmongTheDeadLetters() throws Exception {
    Clients.produce(bootstrapServers, run.readings,
        List.of(new Clients.Message("pump-1", "{\"sensorId\":\"pump-1\",\"value\":".getBytes(StandardCharsets.UTF_8))));
    browser.get(url + "#/deadletters");
    awaitState("deadLetters", 1);
    assertEquals(List.of("MALFORMED"), column("deadletters", 1));
    assertEquals(List.of("pump-1"), column("deadletters", 3));
    assertTrue(column("deadletters", 5).get(0).contains("\"sensorId\":\"pump-1\""), "the record's own bytes");
    screenshot("deadletters");

    browser.get(url + "#/fleet");
    new WebDriverWait(browser, WAIT).until(b -> browser.findElement(By.id("deadletter-reasons")).getText()
        .contains("MALFORMED"));
    assertEquals("1", browser.findElement(By.id("count-deadletters")).getText());
  }

  @Test
  @Order(5)
  void theScoreReportDrawsTheSameChartsFromAFile() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    sent.stream().filter(r -> r.sensorId().equals(SPIKED))
        .forEach(r -> csv.append(Timestamps.format(r.timestampMillis())).append(',').append(r.value()).append('\n'));
    Path input = Files.writeString(stateDir.resolve(SPIKED + ".csv"), csv);
    Path scores = stateDir.resolve(SPIKED + "-scores.csv");
    Path report = stateDir.resolve(SPIKED + ".html");
    // A labelled window around the spike, in NAB's layout, keyed by the input file's name.
    String from = Timestamps.format(START + (SPIKE_AT - 15) * STEP).replace("Z", "");
    String to = Timestamps.format(START + (SPIKE_AT + 15) * STEP).replace("Z", "");
    Path labels = Files.writeString(stateDir.resolve("labels.json"),
        "{\"" + SPIKED + ".csv\": [[\"" + from + "\", \"" + to + "\"]]}");
    assertEquals(0, Main.commandLine().execute("score", "--input", input.toString(), "--out", scores.toString(),
        "--report", report.toString(), "--labels", labels.toString()));
    long flagged = Files.readAllLines(scores).stream().skip(1).filter(line -> line.split(",")[8].equals("1")).count();
    assertTrue(flagged > 0, "the spike is flagged offline too");

    browser.get(report.toUri().toString());
    new WebDriverWait(browser, WAIT).until(b -> js("return window.reportState !== undefined;").equals(Boolean.TRUE));
    assertEquals(flagged, state("anomalyMarkers"), "one marker per flagged row, drawn from the file alone");
    assertEquals(flagged, state("reasons"), "each named by its reason");
    assertEquals(1, state("windows"), "the labelled window shaded");
    assertEquals(2, browser.findElements(By.cssSelector(".uplot canvas")).size(), "readings and surprise charts");
    screenshot("report");
  }
}
