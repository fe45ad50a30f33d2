package dev.paddock.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by its chromedriver against
 * an in-JVM ensemble. Opens a node, reads its data as JSON, then kills a server and sees the
 * ensemble view change. Skipped, saying why, only where no Chromium is installed.
 */
class ConsoleTest {
  static final Duration MAX = Duration.ofSeconds(60);
  static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  static final List<String> DRIVERS = List.of("/usr/bin/chromedriver",
      "/usr/lib/chromium/chromedriver");

  @TempDir Path dir;
  @TempDir Path profile;

  static String firstExisting(List<String> paths) {
    return paths.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
  }

  static WebDriver browser(Path profile) {
    String chromium = firstExisting(BROWSERS);
    String driver = firstExisting(DRIVERS);
    if (chromium == null || driver == null) {
      String why = "no Chromium here (" + (chromium == null ? "browser" : "chromedriver")
          + " missing; apt-get install chromium chromium-driver): the console test is skipped";
      System.out.println(why);
      Assumptions.abort(why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=1200,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(driver)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  @Test
  void browseANodeThenSeeAServerGoDown() throws Exception {
    WebDriver web = browser(profile);
    try (AdminEnsemble e = new AdminEnsemble(dir, Map.of("paddock.admin.user", "ops",
        "paddock.admin.password", "s3cret"))) {
      e.startAll();
      for (int id = 1; id <= AdminEnsemble.SIZE; id++) {
        e.await(id, "/ready", r -> r.status() == 200, MAX);
      }
      int leader = AdminHttp.get(e.base(1), "/commands/leader").json().get("leader_id").asInt();
      int viewer = leader == 1 ? 2 : 1;
      int victim = 6 - leader - viewer;
      ZooKeeper zk = connect(e.clientPort(viewer));
      zk.create("/config", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/config/service", "{\"port\":8080,\"hosts\":[\"a\",\"b\"]}"
          .getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/config/service/lock-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL_SEQUENTIAL);

      WebDriverWait wait = new WebDriverWait(web, MAX);
      // The page redraws its tables on every poll, so an element found a moment ago may be gone.
      wait.ignoring(StaleElementReferenceException.class);
      web.get(e.base(viewer) + "/");
      wait.until(d -> stateOf(d, leader).equals("leader") && stateOf(d, victim)
          .equals("follower") && stateOf(d, viewer).equals("follower"));

      WebElement path = web.findElement(By.id("path"));
      path.clear();
      path.sendKeys("/config\n");
      wait.until(d -> !d.findElements(By.cssSelector("#children a[data-path='/config/service']"))
          .isEmpty());
      web.findElement(By.cssSelector("#children a[data-path='/config/service']")).click();
      new Select(web.findElement(By.id("view"))).selectByValue("json");
      wait.until(d -> d.findElement(By.id("data")).getText().contains("\"port\": 8080"));
      assertEquals("/config/service", web.findElement(By.id("path")).getAttribute("value"));
      assertEquals("(1)", web.findElement(By.id("child-count")).getText());
      assertTrue(web.findElement(By.id("acl")).getText().contains("world anyone rwcda"),
          web.findElement(By.id("acl")).getText());
      String session = "0x" + Long.toHexString(zk.getSessionId());
      wait.until(d -> d.findElement(By.id("sessions")).getText().contains(session + " ")
          && d.findElement(By.id("sessions")).getText().contains("/config/service/lock-"));

      changeNodes(web, wait, zk);

      e.kill(victim);
      wait.until(d -> stateOf(d, victim).startsWith("down"));
      Path shot = ((ChromeDriver) web).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, Path.of("target", "console.png"), StandardCopyOption.REPLACE_EXISTING);
      zk.close();
    } finally {
      web.quit();
    }
  }

  /** Create, set with a version, lose a version race, delete: all through the page. */
  private static void changeNodes(WebDriver web, WebDriverWait wait, ZooKeeper zk)
      throws Exception {
    web.findElement(By.id("user")).sendKeys("ops");
    web.findElement(By.id("password")).sendKeys("s3cret");
    openPath(web, "/config");
    new Select(web.findElement(By.id("view"))).selectByValue("text");
    web.findElement(By.id("child-name")).sendKeys("added");
    web.findElement(By.id("new-data")).sendKeys("v1");
    web.findElement(By.id("create")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#children a[data-path='/config/added']"))
        .isEmpty());
    assertEquals("v1", new String(zk.getData("/config/added", false, null),
        StandardCharsets.UTF_8));
    web.findElement(By.cssSelector("#children a[data-path='/config/added']")).click();
    wait.until(d -> d.findElement(By.id("data")).getText().equals("v1"));
    WebElement data = web.findElement(By.id("new-data"));
    data.clear();
    data.sendKeys("v2");
    web.findElement(By.id("save")).click();
    wait.until(d -> d.findElement(By.id("data")).getText().equals("v2")
        && d.findElement(By.id("save")).getText().contains("version 1"));
    zk.setData("/config/added", "elsewhere".getBytes(StandardCharsets.UTF_8), 1);
    web.findElement(By.id("save")).click();
    wait.until(d -> d.findElement(By.id("result")).getText().contains("BAD_VERSION"));
    assertEquals("elsewhere", new String(zk.getData("/config/added", false, null),
        StandardCharsets.UTF_8));
    openPath(web, "/config/added");
    wait.until(d -> d.findElement(By.id("delete")).getText().contains("version 2"));
    web.findElement(By.id("delete")).click();
    wait.until(d -> d.findElement(By.id("path")).getAttribute("value").equals("/config")
        && d.findElements(By.cssSelector("#children a[data-path='/config/added']")).isEmpty());
    assertEquals(null, zk.exists("/config/added", false));
  }

  private static void openPath(WebDriver web, String path) {
    WebElement input = web.findElement(By.id("path"));
    input.clear();
    input.sendKeys(path + "\n");
  }

  private static String stateOf(WebDriver d, int id) {
    List<WebElement> cells = d.findElements(By.cssSelector(
        "#ensemble tr[data-id='" + id + "'] td.state"));
    return cells.isEmpty() ? "" : cells.get(0).getText();
  }

  private static ZooKeeper connect(int port) throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, ev -> {
      if (ev.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
        up.countDown();
      }
    });
    assertTrue(up.await(20, TimeUnit.SECONDS));
    return zk;
  }
}
