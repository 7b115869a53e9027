package dev.segmenter.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segmenter.cli.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Every case of the generated {@link ModelCorpus}, run in a separate JVM ({@link ModelCaseRunner}) because the
 * native runtimes parse the broken files: the API throws the expected typed exception naming the file or
 * field, and the command line prints one "segmenter: ..." line and exits with the documented code. A case
 * that crashes or hangs the runner's JVM fails (with the runner's log), and the remaining cases go on in a
 * fresh JVM.
 */
class ModelCorpusTest {
  static final long CASE_SECONDS = 120;

  record Run(ModelCaseRunner.Outcome outcome, String failure) {}

  @TestFactory
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  Stream<DynamicTest> modelCorpus() throws Exception {
    long seed = Cli.seed("model");
    Path dir = Cli.workDir("models");
    Path testnets = Cli.root().resolve("models/testnets");
    List<ModelCorpus.Case> cases = ModelCorpus.write(dir.resolve("corpus"), seed, testnets);
    assertTrue(cases.size() >= 100, "model corpus has " + cases.size() + " cases");
    Map<Integer, Run> runs = runAll(dir, testnets, seed, cases.size(), List.of());
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      ModelCorpus.Case c = cases.get(i);
      Run run = runs.get(i);
      tests.add(
          DynamicTest.dynamicTest(c.name() + " [" + c.backend() + "]", () -> check(c, run, seed)));
    }
    return tests.stream();
  }

  private static void check(ModelCorpus.Case c, Run run, long seed) {
    String where = c.name() + " on " + c.backend() + " (" + c.model() + ", seed " + seed + ")";
    if (run.failure() != null) {
      fail(where + ": " + run.failure());
    }
    ModelCaseRunner.Outcome o = run.outcome();
    assertTrue(
        c.outcomes().contains(o.apiKind()),
        where + ": API gave " + o.apiKind() + " (" + o.apiMessage() + "); expected one of "
            + c.outcomes());
    if (!o.apiKind().equals("OK")) {
      assertTrue(
          o.apiMessage().contains(c.mustName()),
          where + ": message does not name '" + c.mustName() + "': " + o.apiMessage());
      assertFalse(
          o.apiMessage().contains("\n"), where + ": message spans lines: " + o.apiMessage());
    }
    Set<Integer> codes = switch (o.apiKind()) {
      case "OK" -> Set.of(ExitCode.OK);
      case ModelCorpus.MODEL_EXCEPTION, ModelCorpus.PALETTE_EXCEPTION ->
        Set.of(ExitCode.MODEL_OR_CONFIG);
      case "BackendException" -> Set.of(ExitCode.UNAVAILABLE, ExitCode.INPUT_FAILED);
      default -> Set.of();
    };
    assertTrue(
        codes.contains(o.exit()),
        where + ": CLI exit " + o.exit() + ", expected " + codes + "; stderr: " + o.stderr());
    List<String> lines = o.stderr().lines().filter(l -> !l.isBlank()).toList();
    if (o.exit() == ExitCode.OK) {
      assertTrue(lines.isEmpty(), where + ": -q but stderr: " + o.stderr());
      return;
    }
    assertEquals(1, lines.size(), where + ": expected one error line, got: " + o.stderr());
    assertTrue(lines.get(0).startsWith("segmenter: "), where + ": " + lines.get(0));
    assertTrue(
        lines.get(0).contains(c.mustName()),
        where + ": CLI line does not name '" + c.mustName() + "': " + lines.get(0));
    assertFalse(lines.get(0).contains("internal error"), where + ": " + lines.get(0));
  }

  /** Runs every case in runner JVMs, restarting after a crash or hang; the case at fault gets a failure. */
  static Map<Integer, Run> runAll(
      Path dir, Path testnets, long seed, int total, List<String> jvmArgs) throws Exception {
    Map<Integer, Run> runs = new HashMap<>();
    int next = 0;
    int attempt = 0;
    while (next < total) {
      Path results = dir.resolve("results-" + attempt + ".tsv");
      Path log = dir.resolve("runner-" + attempt + ".log");
      Files.deleteIfExists(results);
      Process p = runner(dir, testnets, seed, results, next, log, jvmArgs);
      long lastProgress = System.nanoTime();
      long lastSize = -1;
      boolean hung = false;
      while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
        long size = Files.exists(results) ? Files.size(results) : 0;
        if (size != lastSize) {
          lastSize = size;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress
            > TimeUnit.SECONDS.toNanos(caseSeconds(jvmArgs))) {
          hung = true;
          p.destroyForcibly().waitFor();
          break;
        }
      }
      int started = -1;
      if (Files.exists(results)) {
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
          String[] f = line.split("\t", -1);
          if (f[0].equals("START")) {
            started = Integer.parseInt(f[1]);
          } else if (f[0].equals("RESULT") && f.length == 6) {
            int i = Integer.parseInt(f[1]);
            runs.put(
                i,
                new Run(
                    new ModelCaseRunner.Outcome(
                        f[2],
                        ModelCaseRunner.unb64(f[3]),
                        Integer.parseInt(f[4]),
                        ModelCaseRunner.unb64(f[5])),
                    null));
            next = i + 1;
          }
        }
      }
      if (next < total) {
        int culprit = started >= next ? started : next;
        String why = hung
            ? "no progress for " + caseSeconds(jvmArgs) + " s: the runner JVM hung and was killed"
            : "the runner JVM died (exit " + p.exitValue() + ")";
        runs.put(culprit, new Run(null, why + "; its log: " + tail(log)));
        next = culprit + 1;
      }
      attempt++;
    }
    return runs;
  }

  private static Process runner(
      Path dir, Path testnets, long seed, Path results, int first, Path log, List<String> jvmArgs)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        java,
        "-Xmx1g",
        "-Xss4m",
        "-Dai.djl.offline=true",
        "--add-modules",
        "jdk.incubator.vector"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of(
        "-cp",
        cp,
        ModelCaseRunner.class.getName(),
        dir.resolve("corpus").toString(),
        testnets.toString(),
        Long.toString(seed),
        results.toString(),
        Integer.toString(first)));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static long caseSeconds(List<String> jvmArgs) {
    return jvmArgs.stream()
        .filter(a -> a.startsWith("-Drobust.caseSeconds="))
        .map(a -> Long.parseLong(a.substring(21)))
        .findFirst()
        .orElse(CASE_SECONDS);
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * The isolation itself: a runner JVM that dies on one case (injected with -Drobust.crashAt, as a native
   * crash would kill it) or hangs on another (-Drobust.hangAt) fails exactly those cases, and every other
   * case still gets its result from a fresh runner.
   */
  @org.junit.jupiter.api.Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aCrashingOrHangingCaseFailsAloneAndTheRestGoOn() throws Exception {
    long seed = Long.getLong("robust.seed", 20261125L);
    Path dir = Cli.workDir("models-isolation");
    Path testnets = Cli.root().resolve("models/testnets");
    List<ModelCorpus.Case> cases = ModelCorpus.write(dir.resolve("corpus"), seed, testnets);
    int total = 12;
    String crash = cases.get(3).name();
    String hang = cases.get(7).name();
    long t0 = System.nanoTime();
    Map<Integer, Run> runs = runAll(
        dir,
        testnets,
        seed,
        total,
        List.of(
            "-Drobust.crashAt=" + crash,
            "-Drobust.hangAt=" + hang,
            "-Drobust.lastCase=" + (total - 1),
            "-Drobust.caseSeconds=20"));
    assertEquals(total, runs.size(), "every case has a result or a failure: " + runs.keySet());
    assertTrue(
        runs.get(3).failure() != null && runs.get(3).failure().contains("died (exit 134)"),
        String.valueOf(runs.get(3)));
    assertTrue(
        runs.get(7).failure() != null && runs.get(7).failure().contains("hung"),
        String.valueOf(runs.get(7)));
    for (int i = 0; i < total; i++) {
      if (i != 3 && i != 7) {
        assertTrue(
            runs.get(i).failure() == null && runs.get(i).outcome() != null, i + ": " + runs.get(i));
      }
    }
    System.out.printf("robust: isolation check took %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
