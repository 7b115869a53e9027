package dev.segmenter.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCardsTest {
  @TempDir
  Path tmp;

  private static final String MINIMAL_INPUT = "input: {width: 64, height: 32}\n";
  private static final String MINIMAL_FILES = "files: {onnx: net.onnx}\n";

  /** Writes {@code yaml} as model.yaml into a fresh model directory. */
  private Path modelDir(String yaml) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "model");
    Files.writeString(dir.resolve(ModelCards.CARD_FILE), yaml);
    return dir;
  }

  private ModelCard load(String yaml) throws IOException {
    return ModelCards.load(modelDir(yaml));
  }

  /** Loads a bad card and checks that the message names the card file and every expected word. */
  private String fails(String yaml, String... words) throws IOException {
    Path dir = modelDir(yaml);
    ModelException e = assertThrows(ModelException.class, () -> ModelCards.load(dir), yaml);
    String m = e.getMessage();
    assertTrue(
        m.contains(dir.resolve(ModelCards.CARD_FILE).toString()) || m.contains(dir.toString()),
        "message should name the card file: " + m);
    for (String w : words) {
      assertTrue(m.contains(w), "message should contain '" + w + "': " + m);
    }
    return m;
  }

  @Test
  void fullCardParsesToTheRightValues() throws IOException {
    Path dir = modelDir("""
        name: enet-streets
        title: ENet on streets
        description: >
          A small network
          for street scenes.
        classes: [road, sidewalk, car]
        palette: [[128, 64, 128], [244, 35, 232], [0, 0, 142]]
        ignore_index: 255
        input:
          width: 512
          height: 256
          layout: NHWC
          color: BGR
          scale: 0.00392156862745098
          mean: [1, 2, 3]
          std: [0.5, 0.25, 2]
          fit: letterbox
          pad: [114, 115, 116]
          name: images
        output:
          kind: scores
          layout: nchw
          threshold: 0.25
          name: logits
        files:
          onnx: enet.onnx
          caffe: {model: sub/enet.caffemodel, config: enet.prototxt}
        source: models/recipes/enet.md
        trained: false
        license: MIT
        """);
    ModelCard c = ModelCards.load(dir);
    Path real = dir.toAbsolutePath().normalize();
    assertEquals("enet-streets", c.name());
    assertEquals("ENet on streets", c.title());
    assertEquals("A small network for street scenes.\n", c.description());
    assertEquals(List.of("road", "sidewalk", "car"), c.classNames());
    assertEquals(3, c.classCount());
    assertNull(c.paletteName());
    assertArrayEquals(new int[] {0x804080, 0xF423E8, 0x00008E}, c.paletteRgb());
    assertEquals(255, c.ignoreIndex());
    InputSpec in = c.input();
    assertEquals(512, in.width());
    assertEquals(256, in.height());
    assertEquals(Layout.NHWC, in.layout());
    assertFalse(in.rgb());
    assertEquals(0.00392156862745098, in.scale());
    assertArrayEquals(new double[] {1, 2, 3}, in.mean());
    assertArrayEquals(new double[] {0.5, 0.25, 2}, in.std());
    assertEquals(InputSpec.Fit.LETTERBOX, in.fit());
    assertArrayEquals(new double[] {114, 115, 116}, in.pad());
    assertEquals("images", in.name());
    OutputSpec out = c.output();
    assertEquals(OutputSpec.Kind.SCORES, out.kind());
    assertEquals(Layout.NCHW, out.layout());
    assertEquals(0.25, out.threshold());
    assertEquals("logits", out.name());
    assertEquals(
        List.of(ModelFormat.ONNX, ModelFormat.CAFFE), new ArrayList<>(c.files().keySet()));
    ModelSource onnx = c.file(ModelFormat.ONNX);
    assertEquals(real.resolve("enet.onnx"), onnx.file());
    assertNull(onnx.config());
    assertEquals("images", onnx.inputName());
    assertEquals("logits", onnx.outputName());
    ModelSource caffe = c.file(ModelFormat.CAFFE);
    assertEquals(real.resolve("sub/enet.caffemodel"), caffe.file());
    assertEquals(real.resolve("enet.prototxt"), caffe.config());
    assertEquals("models/recipes/enet.md", c.source());
    assertFalse(c.trained());
    assertEquals(real, c.directory());
    assertEquals(real.resolve("model.yaml"), c.cardFile());
  }

  @Test
  void defaultsOfAMinimalCard() throws IOException {
    ModelCard c = load("name: m\nclasses: [a, b]\n" + MINIMAL_INPUT + MINIMAL_FILES);
    assertEquals("m", c.title());
    assertTrue(c.trained());
    assertNull(c.paletteName());
    assertNull(c.paletteRgb());
    assertNull(c.ignoreIndex());
    InputSpec in = c.input();
    assertEquals(Layout.NCHW, in.layout());
    assertTrue(in.rgb());
    assertEquals(1.0, in.scale());
    assertArrayEquals(new double[] {0, 0, 0}, in.mean());
    assertArrayEquals(new double[] {1, 1, 1}, in.std());
    assertArrayEquals(new double[] {0, 0, 0}, in.pad());
    assertEquals(InputSpec.Fit.STRETCH, in.fit());
    assertEquals(OutputSpec.Kind.SCORES, c.output().kind());
    assertEquals(Layout.AUTO, c.output().layout());
    assertEquals(0.5, c.output().threshold());
  }

  @Test
  void loadAcceptsTheCardFileItself() throws IOException {
    Path dir = modelDir("name: m\nclasses: [a]\n" + MINIMAL_INPUT + MINIMAL_FILES);
    ModelCard c = ModelCards.load(dir.resolve("model.yaml"));
    assertEquals(
        dir.toAbsolutePath().normalize().resolve("net.onnx"),
        c.file(ModelFormat.ONNX).file());
  }

  @Test
  void paletteByNameAndScalarMeanAndCenterCrop() throws IOException {
    ModelCard c = load("name: m\nclasses: [a]\npalette: cityscapes\n"
        + "input: {width: 8, height: 8, mean: 127.5, std: 2, fit: center-crop}\n" + MINIMAL_FILES);
    assertEquals("cityscapes", c.paletteName());
    assertArrayEquals(new double[] {127.5, 127.5, 127.5}, c.input().mean());
    assertArrayEquals(new double[] {2, 2, 2}, c.input().std());
    assertEquals(InputSpec.Fit.CENTER_CROP, c.input().fit());
  }

  @Test
  void classesAsIdNameObjectsFillGapsWithClassN() throws IOException {
    ModelCard c = load("""
        name: m
        classes:
          - {id: 0, name: background}
          - {id: 3, name: person}
          - {id: 1, name: sky}
        """ + MINIMAL_INPUT + MINIMAL_FILES);
    assertEquals(List.of("background", "sky", "class 2", "person"), c.classNames());
    assertEquals("class 2", c.className(2));
    assertEquals("class 9", c.className(9));
  }

  @Test
  void missingRequiredFieldsAreNamed() throws IOException {
    fails("classes: [a]\n" + MINIMAL_INPUT + MINIMAL_FILES, "'name'", "missing");
    fails("name: m\n" + MINIMAL_INPUT + MINIMAL_FILES, "'classes'", "missing");
    fails("name: m\nclasses: [a]\n" + MINIMAL_FILES, "'input'", "missing");
    fails("name: m\nclasses: [a]\n" + MINIMAL_INPUT, "'files'", "missing");
    fails(
        "name: m\nclasses: [a]\ninput: {height: 4}\n" + MINIMAL_FILES, "'input.width'", "missing");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {}\n",
        "'files'",
        "onnx",
        "torchscript");
    fails("name: m\nclasses: []\n" + MINIMAL_INPUT + MINIMAL_FILES, "'classes'", "non-empty list");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {caffe: {config: x.prototxt}}\n",
        "'files.caffe.model'",
        "missing");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "input: {width: abc, height: 4}                 | 'input.width'  | integer from 1 to 16384 | abc",
        "input: {width: 0, height: 4}                   | 'input.width'  | integer from 1 to 16384 | 0",
        "input: {width: 4, height: 2.5}                 | 'input.height' | integer from 1 to 16384 | 2.5",
        "input: {width: 4, height: 4, scale: -1}        | 'input.scale'  | positive                | -1",
        "input: {width: 4, height: 4, scale: x}         | 'input.scale'  | number                  | x",
        "input: {width: 4, height: 4, std: 0}           | 'input.std'    | positive                | 0",
        "input: {width: 4, height: 4, std: [1, 0, 1]}   | 'input.std'    | positive                | 0",
        "input: {width: 4, height: 4, mean: [1, 2]}     | 'input.mean'   | list of 3 numbers       | [1, 2]",
        "input: {width: 4, height: 4, mean: [1, a, 2]}  | 'input.mean'   | list of 3 numbers       | a",
        "input: {width: 4, height: 4, pad: {r: 1}}      | 'input.pad'    | list of 3 numbers       | r",
        "input: {width: 4, height: 4, fit: zoom}        | 'input.fit'    | center-crop             | zoom",
        "input: {width: 4, height: 4, layout: CHW}      | 'input.layout' | nhwc                    | CHW",
        "input: {width: 4, height: 4, layout: auto}     | 'input.layout' | nchw                    | auto",
        "input: {width: 4, height: 4, color: YUV}       | 'input.color'  | RGB, BGR                | YUV",
        "input: [64, 32]                                | input          | mapping                 | [64, 32]",
      })
  void badInputFieldsNameFieldAndAccepted(String input, String field, String accepted, String value)
      throws IOException {
    fails("name: m\nclasses: [a, b]\n" + input + "\n" + MINIMAL_FILES, field, accepted, value);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "output: {kind: probabilities}     | 'output.kind'      | class-ids         | probabilities",
        "output: {layout: HWC}             | 'output.layout'    | auto              | HWC",
        "output: {threshold: 2}            | 'output.threshold' | 0..1              | 2",
        "output: {kind: sigmoid}           | 'classes'          | exactly 2 classes | 3",
        "name: Big Model                   | 'name'             | lower-case        | Big Model",
        "trained: maybe                    | 'trained'          | true or false     | maybe",
        "ignore_index: -1                  | 'ignore_index'     | 0 to 65535        | -1",
        "palette: 7                        | 'palette'          | [r, g, b]         | 7",
        "palette: [[1, 2, 300]]            | 'palette[0]'       | 0..255            | 300",
        "files: {onnx: 5}                  | 'files.onnx'       | file name         | 5",
        "files: {onnx: ''}                 | 'files.onnx'       | empty             | ''",
      })
  void badTopAndOutputFieldsNameFieldAndAccepted(
      String line, String field, String accepted, String value) throws IOException {
    String base = "name: m\nclasses: [a, b, c]\n" + MINIMAL_INPUT;
    String key = line.substring(0, line.indexOf(':'));
    String yaml = (key.equals("name") ? "classes: [a, b, c]\n" + MINIMAL_INPUT : base) + line + "\n"
        + (key.equals("files") ? "" : MINIMAL_FILES);
    fails(yaml, field, accepted, value.equals("''") ? "" : value);
  }

  @Test
  void unknownKeysAtEveryLevelAreRefusedWithTheAcceptedOnes() throws IOException {
    fails(
        "name: m\nclases: [a]\nclasses: [a]\n" + MINIMAL_INPUT + MINIMAL_FILES,
        "unknown field 'clases'",
        "classes",
        "ignore_index");
    fails(
        "name: m\nclasses: [a]\ninput: {width: 4, height: 4, widht: 5}\n" + MINIMAL_FILES,
        "unknown field 'input.widht'",
        "input.width",
        "input.fit");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT + "output: {kind: scores, treshold: 0.2}\n"
            + MINIMAL_FILES,
        "unknown field 'output.treshold'",
        "output.threshold");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT
            + "files: {caffe: {model: a.caffemodel, cfg: a.prototxt}}\n",
        "unknown field 'files.caffe.cfg'",
        "files.caffe.config");
    fails(
        "name: m\nclasses: [{id: 0, name: a, color: red}]\n" + MINIMAL_INPUT + MINIMAL_FILES,
        "unknown field 'classes[0].color'",
        "classes[0].id");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx2: a.onnx}\n",
        "'files.onnx2'",
        "unknown format",
        "onnx, torchscript, caffe, tensorflow, torch7, darknet, tflite");
  }

  @Test
  void badClassEntries() throws IOException {
    String rest = MINIMAL_INPUT + MINIMAL_FILES;
    fails("name: m\nclasses: [{id: 0, name: a}, b]\n" + rest, "'classes[1]'", "{id, name}");
    fails(
        "name: m\nclasses: [{id: 0, name: a}, {id: 0, name: b}]\n" + rest,
        "'classes[1].id'",
        "twice");
    fails("name: m\nclasses: [{id: -2, name: a}]\n" + rest, "'classes[0].id'", "0 to 65535");
    fails("name: m\nclasses: [{name: a}]\n" + rest, "'classes[0].id'", "missing");
    fails("name: m\nclasses: [a, [b]]\n" + rest, "'classes[1]'", "class name");
    fails("name: m\nclasses: road\n" + rest, "'classes'", "list");
  }

  @Test
  void paletteNeedsOneColorPerClassAndEachFormatOnce() throws IOException {
    fails(
        "name: m\nclasses: [a, b, c]\npalette: [[0, 0, 0], [1, 1, 1]]\n" + MINIMAL_INPUT
            + MINIMAL_FILES,
        "'palette'",
        "2 colors",
        "3 classes");
    fails(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx: a.onnx, ONNX: b.onnx}\n",
        "'files.ONNX'",
        "twice");
  }

  @Test
  void sigmoidNeedsExactlyTwoClasses() throws IOException {
    fails(
        "name: m\nclasses: [a, b, c]\n" + MINIMAL_INPUT + "output: {kind: sigmoid}\n"
            + MINIMAL_FILES,
        "'classes'",
        "sigmoid",
        "exactly 2",
        "3");
    ModelCard ok = load("name: m\nclasses: [bg, fg]\n" + MINIMAL_INPUT
        + "output: {kind: sigmoid, threshold: 0.7}\n" + MINIMAL_FILES);
    assertEquals(OutputSpec.Kind.SIGMOID, ok.output().kind());
    assertEquals(0.7, ok.output().threshold());
  }

  @Test
  void invalidYamlDuplicateKeysEmptyAndListCards() throws IOException {
    fails("name: m\nclasses: [a, b\n" + MINIMAL_INPUT, "not valid YAML");
    fails(
        "name: m\nname: n\nclasses: [a]\n" + MINIMAL_INPUT + MINIMAL_FILES,
        "not valid YAML",
        "name");
    fails(
        "name: m\nclasses: [a]\ninput: {width: 4, width: 5, height: 4}\n" + MINIMAL_FILES,
        "not valid YAML",
        "width");
    fails("", "mapping");
    fails("# only a comment\n", "mapping");
    fails("- name: m\n- classes: [a]\n", "mapping", "a list");
    fails("just text\n", "mapping", "text");
  }

  @Test
  void oversizedCardIsRefusedUnread() throws IOException {
    fails("name: m\ndescription: '" + "x".repeat(1 << 20) + "'\n", "larger than 1 MiB");
  }

  @Test
  void directoryWithoutCardAndMissingPath() throws IOException {
    Path empty = Files.createTempDirectory(tmp, "empty");
    ModelException e = assertThrows(ModelException.class, () -> ModelCards.load(empty));
    assertTrue(
        e.getMessage().contains(empty.toString()) && e.getMessage().contains("model.yaml"),
        e.getMessage());
    Path none = tmp.resolve("nope");
    e = assertThrows(ModelException.class, () -> ModelCards.load(none));
    assertTrue(
        e.getMessage().contains(none.toString()) && e.getMessage().contains("no such"),
        e.getMessage());
  }

  @Test
  void filesMustStayInsideTheModelDirectory() throws IOException {
    String head = "name: m\nclasses: [a]\n" + MINIMAL_INPUT;
    fails(head + "files: {onnx: /etc/passwd}\n", "'files.onnx'", "absolute path", "/etc/passwd");
    fails(
        head + "files: {onnx: ../other/net.onnx}\n",
        "'files.onnx'",
        "leaves the model directory",
        "..");
    fails(
        head + "files: {onnx: sub/../../net.onnx}\n", "'files.onnx'", "leaves the model directory");
    fails(
        head + "files: {caffe: {model: a.caffemodel, config: /tmp/a.prototxt}}\n",
        "'files.caffe.config'",
        "absolute path");
    fails(head + "files: {onnx: 'C:\\\\models\\\\net.onnx'}\n", "'files.onnx'", "absolute path");
    // '..' inside a name is fine; so is a sub-folder
    ModelCard c = load(head + "files: {onnx: sub/net..v2.onnx}\n");
    assertTrue(c.file(ModelFormat.ONNX).file().endsWith(Path.of("sub", "net..v2.onnx")));
  }

  @Test
  void symlinkLeavingTheDirectoryIsRefused() throws IOException {
    Path outside = Files.writeString(tmp.resolve("secret.onnx"), "x");
    Path dir = modelDir("name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx: link.onnx}\n");
    try {
      Files.createSymbolicLink(dir.resolve("link.onnx"), outside);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links not supported here: " + e);
    }
    ModelException e = assertThrows(ModelException.class, () -> ModelCards.load(dir));
    assertTrue(
        e.getMessage().contains("'files.onnx'")
            && e.getMessage().contains("link")
            && e.getMessage().contains("leaves the model directory"),
        e.getMessage());

    // a link to a folder outside, used as a path prefix, leaks the same way
    Path outDir = Files.createDirectories(tmp.resolve("outside-dir"));
    Files.writeString(outDir.resolve("net.onnx"), "x");
    Path dir2 =
        modelDir("name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx: sub/net.onnx}\n");
    Files.createSymbolicLink(dir2.resolve("sub"), outDir);
    e = assertThrows(ModelException.class, () -> ModelCards.load(dir2));
    assertTrue(
        e.getMessage().contains("'files.onnx'")
            && e.getMessage().contains("leaves the model directory"),
        e.getMessage());

    // a dangling link
    Path dir3 = modelDir("name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx: gone.onnx}\n");
    Files.createSymbolicLink(dir3.resolve("gone.onnx"), tmp.resolve("does-not-exist"));
    e = assertThrows(ModelException.class, () -> ModelCards.load(dir3));
    assertTrue(
        e.getMessage().contains("'files.onnx'") && e.getMessage().contains("dangling"),
        e.getMessage());

    // a link that stays inside is fine
    Path dir4 = modelDir("name: m\nclasses: [a]\n" + MINIMAL_INPUT + "files: {onnx: alias.onnx}\n");
    Files.writeString(dir4.resolve("real.onnx"), "x");
    Files.createSymbolicLink(dir4.resolve("alias.onnx"), dir4.resolve("real.onnx"));
    assertEquals(List.of(ModelFormat.ONNX), ModelCards.load(dir4).presentFormats());
  }

  @Test
  void requireFileSaysWhichFileIsMissingAndWhereToGetIt() throws IOException {
    Path dir = modelDir(
        "name: m\nclasses: [a]\n" + MINIMAL_INPUT
            + "files: {onnx: net.onnx, caffe: {model: c.caffemodel, config: c.prototxt}}\nsource: https://example.org/m\n");
    ModelCard c = ModelCards.load(dir);
    assertEquals(List.of(), c.presentFormats());
    ModelException e = assertThrows(ModelException.class, () -> c.requireFile(ModelFormat.ONNX));
    assertTrue(
        e.getMessage()
                .contains(dir.toAbsolutePath().normalize().resolve("net.onnx").toString())
            && e.getMessage().contains("missing")
            && e.getMessage().contains("https://example.org/m"),
        e.getMessage());
    Files.writeString(dir.resolve("c.caffemodel"), "x");
    e = assertThrows(ModelException.class, () -> c.requireFile(ModelFormat.CAFFE));
    assertTrue(
        e.getMessage()
            .contains(dir.toAbsolutePath().normalize().resolve("c.prototxt").toString()),
        e.getMessage());
    e = assertThrows(ModelException.class, () -> c.requireFile(ModelFormat.TFLITE));
    assertTrue(
        e.getMessage().contains("no tflite file") && e.getMessage().contains("onnx"),
        e.getMessage());
    Files.writeString(dir.resolve("net.onnx"), "x");
    assertEquals(
        dir.toAbsolutePath().normalize().resolve("net.onnx"),
        c.requireFile(ModelFormat.ONNX).file());
    assertEquals(List.of(ModelFormat.ONNX), c.presentFormats());
  }

  /** Random valid cards: what is written is what is read. */
  @Test
  void randomValidCardsRoundTrip() throws IOException {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int n = 0; n < 200; n++) {
      StringBuilder y = new StringBuilder();
      String name = randomName(r);
      y.append("name: '").append(name).append("'\n");
      OutputSpec.Kind kind = OutputSpec.Kind.values()[r.nextInt(3)];
      int classCount =
          kind == OutputSpec.Kind.SIGMOID ? 2 : 1 + r.nextInt(r.nextBoolean() ? 5 : 400);
      List<String> classes = new ArrayList<>();
      y.append("classes:\n");
      for (int i = 0; i < classCount; i++) {
        String cn = "c" + i + (r.nextBoolean() ? " x" : "");
        classes.add(cn);
        y.append("  - ").append(cn).append('\n');
      }
      int w = 1 + r.nextInt(2048);
      int h = 1 + r.nextInt(2048);
      while (kind == OutputSpec.Kind.SCORES
          && (long) w * h * classCount * Float.BYTES > Integer.MAX_VALUE) {
        h = Math.max(
            1,
            h / 2); // a valid card's output tensor fits in one buffer (else it is refused at load)
      }
      Layout inLayout = r.nextBoolean() ? Layout.NCHW : Layout.NHWC;
      boolean rgb = r.nextBoolean();
      double scale = r.nextInt(1000) / 7.0 + 0.001;
      double[] mean = {r.nextInt(256), r.nextDouble() * 255, -r.nextInt(10)};
      double[] std = {0.01 + r.nextDouble() * 100, 1, 0.5 + r.nextInt(100)};
      InputSpec.Fit fit = InputSpec.Fit.values()[r.nextInt(3)];
      double[] pad = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
      y.append("input:\n  width: ")
          .append(w)
          .append("\n  height: ")
          .append(h)
          .append("\n  layout: ")
          .append(inLayout.name().toLowerCase(Locale.ROOT))
          .append("\n  color: ")
          .append(rgb ? "RGB" : "bgr")
          .append("\n  scale: ")
          .append(scale)
          .append("\n  mean: [")
          .append(mean[0])
          .append(", ")
          .append(mean[1])
          .append(", ")
          .append(mean[2])
          .append(']')
          .append("\n  std: [")
          .append(std[0])
          .append(", ")
          .append(std[1])
          .append(", ")
          .append(std[2])
          .append(']')
          .append("\n  fit: ")
          .append(fit.name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .append("\n  pad: [")
          .append(pad[0])
          .append(", ")
          .append(pad[1])
          .append(", ")
          .append(pad[2])
          .append("]\n");
      Layout outLayout = Layout.values()[r.nextInt(3)];
      double threshold = r.nextInt(101) / 100.0;
      y.append("output:\n  kind: ")
          .append(kind.name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .append("\n  layout: ")
          .append(outLayout.name())
          .append("\n  threshold: ")
          .append(threshold)
          .append('\n');
      List<ModelFormat> formats = new ArrayList<>();
      y.append("files:\n");
      for (ModelFormat f : ModelFormat.values()) {
        if (r.nextInt(3) == 0 || (formats.isEmpty() && f == ModelFormat.TFLITE)) {
          formats.add(f);
          y.append("  ")
              .append(f.key())
              .append(": dir")
              .append(r.nextInt(3))
              .append("/w")
              .append(f.ordinal())
              .append(f.extensions().get(0))
              .append('\n');
        }
      }
      boolean trained = r.nextBoolean();
      y.append("trained: ").append(trained).append('\n');
      String yaml = y.toString();
      String context = "seed " + seed + ", card " + n + ":\n" + yaml;
      ModelCard c;
      try {
        c = load(yaml);
      } catch (ModelException e) {
        throw new AssertionError(context, e);
      }
      assertEquals(name, c.name(), context);
      assertEquals(classes, c.classNames(), context);
      assertEquals(w, c.input().width(), context);
      assertEquals(h, c.input().height(), context);
      assertEquals(inLayout, c.input().layout(), context);
      assertEquals(rgb, c.input().rgb(), context);
      assertEquals(scale, c.input().scale(), context);
      assertArrayEquals(mean, c.input().mean(), context);
      assertArrayEquals(std, c.input().std(), context);
      assertEquals(fit, c.input().fit(), context);
      assertArrayEquals(pad, c.input().pad(), context);
      assertEquals(kind, c.output().kind(), context);
      assertEquals(outLayout, c.output().layout(), context);
      assertEquals(threshold, c.output().threshold(), context);
      assertEquals(formats, new ArrayList<>(c.files().keySet()), context);
      assertEquals(trained, c.trained(), context);
    }
  }

  private static String randomName(Random r) {
    String first = "abcdefghijklmnopqrstuvwxyz0123456789";
    String rest = first + "._-";
    StringBuilder sb = new StringBuilder().append(first.charAt(r.nextInt(first.length())));
    int len = r.nextInt(30);
    for (int i = 0; i < len; i++) {
      sb.append(rest.charAt(r.nextInt(rest.length())));
    }
    return sb.toString();
  }

  @Test
  void filesAsAListTakeTheFormatFromTheExtension() throws IOException {
    ModelCard c = load(
        "name: x\nclasses: [a, b]\n" + MINIMAL_INPUT + "files: [net.onnx, net.pt, enet.net]\n");
    assertEquals(
        List.of(ModelFormat.ONNX, ModelFormat.TORCHSCRIPT, ModelFormat.TORCH7),
        new ArrayList<>(c.files().keySet()));
    assertTrue(c.file(ModelFormat.TORCHSCRIPT).file().endsWith("net.pt"));
    ModelException e = assertThrows(
        ModelException.class,
        () -> load("name: x\nclasses: [a, b]\n" + MINIMAL_INPUT + "files: [weights.bin]\n"));
    assertTrue(
        e.getMessage().contains("field 'files[0]'") && e.getMessage().contains(".onnx"),
        e.getMessage());
    e = assertThrows(
        ModelException.class,
        () -> load("name: x\nclasses: [a, b]\n" + MINIMAL_INPUT + "files: [a.onnx, b.onnx]\n"));
    assertTrue(e.getMessage().contains("a second onnx file"), e.getMessage());
  }
}
