package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segmentation works on every backend in a process that has no network at all (a new network
 * namespace from {@code unshare -n}): natives come from the Maven artifacts and nothing is downloaded.
 * On CI (CI=true) this test must run; elsewhere it is skipped where unshare is not permitted.
 */
class NoNetworkTest {
  @TempDir
  Path tmp;

  @Test
  void segmentsOnEveryBackendWithoutNetwork() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean can;
    try {
      Process probe =
          new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      can = probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (java.io.IOException e) {
      can = false;
    }
    if (!can) {
      if (ci) {
        fail("CI must prove segmentation without network, but 'unshare -n' is not available here");
      }
      Assumptions.abort("unshare -n is not permitted on this machine");
    }
    Path img = tmp.resolve("street.png");
    ImageIO.write(TestModels.scene(11, 400, 200).toBufferedImage(), "png", img.toFile());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    for (String backend : TestModels.BACKENDS) {
      Path out = tmp.resolve("out-" + backend);
      List<String> cmd = List.of(
          "unshare",
          "-n",
          java.toString(),
          "--add-modules",
          "jdk.incubator.vector",
          "-Dai.djl.offline=true",
          "-cp",
          System.getProperty("java.class.path"),
          Main.class.getName(),
          "segment",
          img.toString(),
          "--model",
          TestModels.ENET.toString(),
          "--backend",
          backend,
          "--out",
          out.toString(),
          "--json");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), backend + " finishes");
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), backend + " without network:\n" + log);
      assertTrue(log.contains("\"backend\":\"" + backend + "\""), log);
      assertTrue(
          Files.size(out.resolve("street.overlay.png")) > 1000, backend + " wrote the overlay");
      // and the namespace really has no network: only loopback, and it is down
      Process ip = new ProcessBuilder("unshare", "-n", "cat", "/proc/net/dev")
          .redirectErrorStream(true)
          .start();
      ip.waitFor(20, TimeUnit.SECONDS);
      String dev = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          dev.lines().skip(2).allMatch(l -> l.trim().startsWith("lo:")),
          "only loopback inside: " + dev);
    }
  }
}
