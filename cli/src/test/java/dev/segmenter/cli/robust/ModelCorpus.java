package dev.segmenter.cli.robust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a deterministic corpus of broken models (seeded; nothing is committed): corrupt, truncated and
 * empty files for every format a backend reads (onnx, torchscript, caffe, tensorflow, torch7, darknet,
 * tflite), files of the wrong kind, model cards with missing fields, wrong types, unknown keys, escaping
 * paths, wrong class counts, and palettes too short for the model.
 */
final class ModelCorpus {
  /** What is run: open the model and segment one image, or resolve the palette the CLI would draw with. */
  enum Action {
    SEGMENT,
    PALETTE
  }

  /**
   * One case. {@code outcomes}: the accepted results, each an exception's simple name or "OK" (a flipped
   * byte may land in weights and still give a loadable model). {@code mustName}: text the error message
   * must hold (the file or field at fault).
   */
  record Case(
      String name,
      String backend,
      Path model,
      Action action,
      List<String> cliExtra,
      Set<String> outcomes,
      String mustName) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String MODEL_EXCEPTION = "ModelException";
  static final String PALETTE_EXCEPTION = "PaletteException";

  private final Path dir;
  private final Random rnd;
  private final Path testnets;
  private final String card;
  private final List<Case> cases = new ArrayList<>();

  private ModelCorpus(Path dir, long seed, Path testnets) throws IOException {
    this.dir = dir;
    this.rnd = new Random(seed);
    this.testnets = testnets;
    this.card = Files.readString(testnets.resolve("tiny-nchw/model.yaml"), StandardCharsets.UTF_8);
  }

  static List<Case> write(Path dir, long seed, Path testnets) {
    try {
      ModelCorpus c = new ModelCorpus(dir, seed, testnets);
      Files.createDirectories(dir);
      c.build();
      return c.cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void build() throws IOException {
    byte[] onnx = Files.readAllBytes(testnets.resolve("tiny-nchw/net.onnx"));
    byte[] pt = Files.readAllBytes(testnets.resolve("tiny-nchw/net.pt"));
    modelFileCases("onnx", "net.onnx", onnx, List.of("onnxruntime", "opencv"));
    modelFileCases("torchscript", "net.pt", pt, List.of("pytorch"));
    opencvOnlyFormats(onnx, pt);
    wrongKind(onnx, pt);
    cardCases();
    classCountCases();
    paletteCases();
  }

  /** A model folder holding a card whose files: section is {@code files} and the given files. */
  private Path model(String name, String cardText, Object... nameBytes) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Files.writeString(d.resolve("model.yaml"), cardText, StandardCharsets.UTF_8);
    for (int i = 0; i < nameBytes.length; i += 2) {
      Files.write(d.resolve((String) nameBytes[i]), (byte[]) nameBytes[i + 1]);
    }
    return d;
  }

  private String cardWithFiles(String filesYaml) {
    return card.substring(0, card.indexOf("files:")) + "files:\n" + filesYaml
        + "source: robustness corpus\n" + "trained: false\n";
  }

  private void add(String name, String backend, Path model, Set<String> outcomes, String mustName) {
    cases.add(new Case(name, backend, model, Action.SEGMENT, List.of(), outcomes, mustName));
  }

  private byte[] garbage(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private byte[] flipped(byte[] valid, int flips) {
    byte[] b = valid.clone();
    for (int i = 0; i < flips; i++) {
      b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
    }
    return b;
  }

  /** Empty, truncated, garbage and flipped-byte variants of a valid model file, on each backend that reads it. */
  private void modelFileCases(String key, String file, byte[] valid, List<String> backends)
      throws IOException {
    int[] cuts = {
      1,
      2,
      8,
      16,
      64,
      200,
      valid.length / 4,
      valid.length / 3,
      valid.length / 2,
      valid.length * 2 / 3,
      valid.length * 3 / 4,
      valid.length * 9 / 10,
      valid.length - 100,
      valid.length - 10,
      valid.length - 1
    };
    for (String backend : backends) {
      String fy = "  " + key + ": " + file + "\n";
      add(
          key + "-" + backend + "-zero-bytes",
          backend,
          model(key + "-" + backend + "-zero", cardWithFiles(fy), file, new byte[0]),
          Set.of(MODEL_EXCEPTION),
          file);
      for (int cut : cuts) {
        String n = key + "-" + backend + "-truncated-at-" + cut + "-of-" + valid.length;
        add(
            n,
            backend,
            model(n, cardWithFiles(fy), file, Arrays.copyOf(valid, cut)),
            Set.of(MODEL_EXCEPTION),
            file);
      }
      for (int k = 0; k < 3; k++) {
        String n = key + "-" + backend + "-garbage-" + k;
        add(
            n,
            backend,
            model(n, cardWithFiles(fy), file, garbage(100 + rnd.nextInt(20000))),
            Set.of(MODEL_EXCEPTION),
            file);
      }
      for (int k = 0; k < 4; k++) {
        String n = key + "-" + backend + "-flipped-" + k;
        // a flipped byte may land in a weight (still a model) or in the structure (refused)
        add(
            n,
            backend,
            model(n, cardWithFiles(fy), file, flipped(valid, 1 + k * 3)),
            Set.of("OK", MODEL_EXCEPTION, "BackendException"),
            file);
      }
    }
  }

  /** Formats only OpenCV reads: no valid model is committed, so these are empty, garbage or half-valid. */
  private void opencvOnlyFormats(byte[] onnx, byte[] pt) throws IOException {
    String prototxt =
        "name: \"tiny\"\ninput: \"input\"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 48\ninput_dim: 64\n"
            + "layer {\n  name: \"conv\"\n  type: \"Convolution\"\n  bottom: \"input\"\n  top: \"out\"\n"
            + "  convolution_param { num_output: 5 kernel_size: 1 }\n}\n";
    String cfg =
        "[net]\nwidth=64\nheight=48\nchannels=3\n\n[convolutional]\nfilters=5\nsize=1\nstride=1\npad=0\n"
            + "activation=linear\n";
    byte[] goodWeightsHeader =
        new byte[20]; // major 0, minor 2, revision 0, seen (8 bytes): no weights at all
    goodWeightsHeader[4] = 2;
    for (int k = 0; k < 3; k++) {
      byte[] g = garbage(64 + rnd.nextInt(8000));
      String s = "-" + k;
      add(
          "caffe-garbage-weights" + s,
          "opencv",
          model(
              "caffe-gw" + s,
              cardWithFiles("  caffe: {model: m.caffemodel, config: m.prototxt}\n"),
              "m.caffemodel",
              g,
              "m.prototxt",
              prototxt.getBytes(StandardCharsets.UTF_8)),
          Set.of(MODEL_EXCEPTION),
          "m.caffemodel");
      add(
          "caffe-garbage-prototxt" + s,
          "opencv",
          model(
              "caffe-gp" + s,
              cardWithFiles("  caffe: {model: m.caffemodel, config: m.prototxt}\n"),
              "m.caffemodel",
              garbage(100),
              "m.prototxt",
              g),
          Set.of(MODEL_EXCEPTION),
          "m.caffemodel");
      add(
          "tensorflow-garbage" + s,
          "opencv",
          model("tf-g" + s, cardWithFiles("  tensorflow: {model: m.pb}\n"), "m.pb", g),
          Set.of(MODEL_EXCEPTION),
          "m.pb");
      add(
          "torch7-garbage" + s,
          "opencv",
          model("t7-g" + s, cardWithFiles("  torch7: m.t7\n"), "m.t7", g),
          Set.of(MODEL_EXCEPTION),
          "m.t7");
      add(
          "darknet-garbage-weights" + s,
          "opencv",
          model(
              "dn-gw" + s,
              cardWithFiles("  darknet: {model: m.weights, config: m.cfg}\n"),
              "m.weights",
              g,
              "m.cfg",
              cfg.getBytes(StandardCharsets.UTF_8)),
          Set.of(MODEL_EXCEPTION),
          "m.weights");
      add(
          "darknet-garbage-cfg" + s,
          "opencv",
          model(
              "dn-gc" + s,
              cardWithFiles("  darknet: {model: m.weights, config: m.cfg}\n"),
              "m.weights",
              garbage(400),
              "m.cfg",
              g),
          Set.of(MODEL_EXCEPTION),
          "m.weights");
      add(
          "tflite-garbage" + s,
          "opencv",
          model("tfl-g" + s, cardWithFiles("  tflite: m.tflite\n"), "m.tflite", g),
          Set.of(MODEL_EXCEPTION),
          "m.tflite");
    }
    String[][] zero = {
      {"caffe", "  caffe: {model: m.caffemodel, config: m.prototxt}\n", "m.caffemodel", "m.prototxt"
      },
      {"tensorflow", "  tensorflow: {model: m.pb}\n", "m.pb", null},
      {"torch7", "  torch7: m.t7\n", "m.t7", null},
      {"darknet", "  darknet: {model: m.weights, config: m.cfg}\n", "m.weights", "m.cfg"},
      {"tflite", "  tflite: m.tflite\n", "m.tflite", null}
    };
    for (String[] z : zero) {
      Object[] files = z[3] == null
          ? new Object[] {z[2], new byte[0]}
          : new Object[] {z[2], new byte[0], z[3], new byte[0]};
      add(
          z[0] + "-zero-bytes",
          "opencv",
          model(z[0] + "-zero", cardWithFiles(z[1]), files),
          Set.of(MODEL_EXCEPTION),
          z[2]);
    }
    // a valid cfg with a weights file that ends early, or holds nothing but the header
    add(
        "darknet-weights-header-only",
        "opencv",
        model(
            "dn-header",
            cardWithFiles("  darknet: {model: m.weights, config: m.cfg}\n"),
            "m.weights",
            goodWeightsHeader,
            "m.cfg",
            cfg.getBytes(StandardCharsets.UTF_8)),
        Set.of(MODEL_EXCEPTION),
        "m.weights");
    add(
        "darknet-weights-truncated",
        "opencv",
        model(
            "dn-trunc",
            cardWithFiles("  darknet: {model: m.weights, config: m.cfg}\n"),
            "m.weights",
            Arrays.copyOf(goodWeightsHeader, 20 + 4 * 7),
            "m.cfg",
            cfg.getBytes(StandardCharsets.UTF_8)),
        Set.of(MODEL_EXCEPTION),
        "m.weights");
    add(
        "darknet-weights-3-bytes",
        "opencv",
        model(
            "dn-3",
            cardWithFiles("  darknet: {model: m.weights, config: m.cfg}\n"),
            "m.weights",
            new byte[] {0, 0, 0},
            "m.cfg",
            cfg.getBytes(StandardCharsets.UTF_8)),
        Set.of(MODEL_EXCEPTION),
        "m.weights");
    add(
        "caffe-without-config",
        "opencv",
        model(
            "caffe-nocfg", cardWithFiles("  caffe: m.caffemodel\n"), "m.caffemodel", garbage(500)),
        Set.of(MODEL_EXCEPTION),
        "m.caffemodel");
    add(
        "darknet-without-config",
        "opencv",
        model("dn-nocfg", cardWithFiles("  darknet: m.weights\n"), "m.weights", garbage(500)),
        Set.of(MODEL_EXCEPTION),
        "m.weights");
    add(
        "caffe-config-missing-on-disk",
        "opencv",
        model(
            "caffe-cfg-gone",
            cardWithFiles("  caffe: {model: m.caffemodel, config: gone.prototxt}\n"),
            "m.caffemodel",
            garbage(500)),
        Set.of(MODEL_EXCEPTION),
        "gone.prototxt");
    for (int cut : new int[] {1, 4, 12, 40}) {
      add(
          "torch7-truncated-header-" + cut,
          "opencv",
          model(
              "t7-trunc-" + cut,
              cardWithFiles("  torch7: m.t7\n"),
              "m.t7",
              Arrays.copyOf(
                  new byte[] {
                    4, 0, 0, 0, 1, 0, 0, 0, 16, 0, 0, 0, 'n', 'n', '.', 'S', 'e', 'q', 'u', 'e',
                    'n', 't', 'i', 'a', 'l', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                  },
                  cut)),
          Set.of(MODEL_EXCEPTION),
          "m.t7");
    }
  }

  /** Files of one format given as another. */
  private void wrongKind(byte[] onnx, byte[] pt) throws IOException {
    byte[] yaml = card.getBytes(StandardCharsets.UTF_8);
    Object[][] kinds = {
      {"onnx-as-torchscript", "pytorch", "  torchscript: net.onnx\n", "net.onnx", onnx},
      {"torchscript-as-onnx-ort", "onnxruntime", "  onnx: net.pt\n", "net.pt", pt},
      {"torchscript-as-onnx-opencv", "opencv", "  onnx: net.pt\n", "net.pt", pt},
      {"onnx-as-tflite", "opencv", "  tflite: net.onnx\n", "net.onnx", onnx},
      {"onnx-as-torch7", "opencv", "  torch7: net.onnx\n", "net.onnx", onnx},
      {"onnx-as-tensorflow", "opencv", "  tensorflow: {model: net.onnx}\n", "net.onnx", onnx},
      {"torchscript-as-tflite", "opencv", "  tflite: net.pt\n", "net.pt", pt},
      {"torchscript-as-torch7", "opencv", "  torch7: net.pt\n", "net.pt", pt},
      {"torchscript-as-tensorflow", "opencv", "  tensorflow: {model: net.pt}\n", "net.pt", pt},
      {"yaml-as-onnx-ort", "onnxruntime", "  onnx: card.onnx\n", "card.onnx", yaml},
      {"yaml-as-torchscript", "pytorch", "  torchscript: card.pt\n", "card.pt", yaml},
      {"yaml-as-tflite", "opencv", "  tflite: card.tflite\n", "card.tflite", yaml},
      {
        "onnx-as-caffe-weights",
        "opencv",
        "  caffe: {model: net.onnx, config: net.prototxt}\n",
        "net.onnx",
        onnx
      },
      {
        "onnx-as-darknet-weights",
        "opencv",
        "  darknet: {model: net.onnx, config: net.cfg}\n",
        "net.onnx",
        onnx
      },
    };
    for (Object[] k : kinds) {
      Path d = model((String) k[0], cardWithFiles((String) k[2]), (String) k[3], (byte[]) k[4]);
      String files = (String) k[2];
      if (files.contains("net.prototxt")) {
        Files.write(d.resolve("net.prototxt"), onnx);
      }
      if (files.contains("net.cfg")) {
        Files.write(d.resolve("net.cfg"), pt);
      }
      add((String) k[0], (String) k[1], d, Set.of(MODEL_EXCEPTION), (String) k[3]);
    }
    Path pathDir = model(
        "onnx-backend-without-onnx-file", cardWithFiles("  torchscript: net.pt\n"), "net.pt", pt);
    add(
        "onnxruntime-asked-for-a-torchscript-only-model",
        "onnxruntime",
        pathDir,
        Set.of("BackendException"),
        "onnxruntime");
  }

  /** Cards: missing fields, wrong types, unknown keys, bad values, paths leaving the folder. */
  private void cardCases() throws IOException {
    String[][] edits = {
      // {case name, text to replace, replacement, field the message must name}
      {"card-missing-name", "name: tiny-nchw\n", "", "'name'"},
      {
        "card-missing-classes",
        "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n",
        "",
        "'classes'"
      },
      {"card-missing-input", inputBlock(), "", "'input'"},
      {"card-missing-input-width", "  width: 64\n", "", "input.width"},
      {"card-missing-input-height", "  height: 48\n", "", "input.height"},
      {"card-missing-files", "files:\n  onnx: net.onnx\n  torchscript: net.pt\n", "", "'files'"},
      {
        "card-empty-files",
        "files:\n  onnx: net.onnx\n  torchscript: net.pt\n",
        "files: {}\n",
        "'files'"
      },
      {"card-name-uppercase", "name: tiny-nchw", "name: Tiny NCHW", "'name'"},
      {"card-name-number-list", "name: tiny-nchw", "name: [1, 2]", "'name'"},
      {"card-width-text", "  width: 64", "  width: wide", "input.width"},
      {"card-width-zero", "  width: 64", "  width: 0", "input.width"},
      {"card-width-negative", "  width: 64", "  width: -64", "input.width"},
      {"card-width-float", "  width: 64", "  width: 64.5", "input.width"},
      {"card-width-huge", "  width: 64", "  width: 100000", "input.width"},
      {"card-height-list", "  height: 48", "  height: [48]", "input.height"},
      {
        "card-classes-number",
        "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n",
        "classes: 5\n",
        "'classes'"
      },
      {
        "card-classes-empty",
        "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n",
        "classes: []\n",
        "'classes'"
      },
      {
        "card-classes-duplicate-id",
        "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n",
        "classes:\n  - {id: 0, name: a}\n  - {id: 0, name: b}\n",
        "classes[1].id"
      },
      {
        "card-classes-mixed",
        "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n",
        "classes:\n  - {id: 0, name: a}\n  - b\n",
        "classes[1]"
      },
      {"card-layout-unknown", "  layout: NCHW\n  color", "  layout: NCWH\n  color", "input.layout"},
      {"card-color-unknown", "  color: RGB", "  color: CMYK", "input.color"},
      {"card-scale-negative", "  scale: 0.00392156862745098", "  scale: -1", "input.scale"},
      {"card-scale-text", "  scale: 0.00392156862745098", "  scale: a lot", "input.scale"},
      {"card-mean-two-values", "  mean: [0, 0, 0]", "  mean: [0, 0]", "input.mean"},
      {"card-std-zero", "  std: [1, 1, 1]", "  std: [1, 0, 1]", "input.std"},
      {"card-fit-unknown", "  fit: stretch", "  fit: squash", "input.fit"},
      {"card-output-kind-unknown", "  kind: scores", "  kind: boxes", "output.kind"},
      {
        "card-output-threshold-out-of-range",
        "  kind: scores",
        "  kind: scores\n  threshold: 7",
        "output.threshold"
      },
      {"card-unknown-top-key", "palette: generated", "palette: generated\ncolour: blue", "'colour'"
      },
      {"card-unknown-input-key", "  width: 64", "  width: 64\n  depth: 3", "input.depth"},
      {
        "card-unknown-output-key",
        "  kind: scores",
        "  kind: scores\n  softmax: true",
        "output.softmax"
      },
      {"card-unknown-format", "  onnx: net.onnx", "  onnx: net.onnx\n  keras: net.h5", "files.keras"
      },
      {"card-trained-text", "trained: false", "trained: maybe", "'trained'"},
      {"card-palette-number", "palette: generated", "palette: 7", "'palette'"},
      {
        "card-palette-bad-rgb",
        "palette: generated",
        "palette: [[0, 0, 300], [1, 2, 3]]",
        "palette[0]"
      },
      {
        "card-ignore-index-text",
        "palette: generated",
        "palette: generated\nignore_index: void",
        "ignore_index"
      },
      {"card-absolute-path", "  onnx: net.onnx", "  onnx: /etc/passwd", "absolute path"},
      {
        "card-dotdot-path",
        "  onnx: net.onnx",
        "  onnx: ../tiny-nchw/net.onnx",
        "leaves the model directory"
      },
      {
        "card-dotdot-inner-path",
        "  onnx: net.onnx",
        "  onnx: sub/../../x/net.onnx",
        "leaves the model directory"
      },
      {
        "card-dotdot-config",
        "  onnx: net.onnx",
        "  onnx: {model: net.onnx, config: ../x.cfg}",
        "files.onnx.config"
      },
      {"card-empty-file-name", "  onnx: net.onnx", "  onnx: ''", "files.onnx"},
      {"card-file-missing-on-disk", "  onnx: net.onnx", "  onnx: not-here.onnx", "not-here.onnx"},
      {
        "card-files-list-unknown-extension",
        "files:\n  onnx: net.onnx\n  torchscript: net.pt\n",
        "files: [net.bin]\n",
        "files[0]"
      },
      {"card-sigmoid-five-classes", "  kind: scores", "  kind: sigmoid", "'classes'"},
      {"card-input-name-wrong", "  name: input", "  name: image", "'image'"},
      {"card-output-name-wrong", "  name: out", "  name: logits", "'logits'"},
      {"card-duplicate-key", "palette: generated", "palette: generated\npalette: voc", "palette"},
      {"card-invalid-yaml", "classes:", "classes: [unclosed", "model.yaml"},
      {"card-tab-indent", "  width: 64", "\twidth: 64", "model.yaml"},
    };
    byte[] onnx = Files.readAllBytes(testnets.resolve("tiny-nchw/net.onnx"));
    byte[] pt = Files.readAllBytes(testnets.resolve("tiny-nchw/net.pt"));
    for (String[] e : edits) {
      if (!card.contains(e[1])) {
        throw new IllegalStateException(
            e[0] + ": the tiny-nchw card no longer holds '" + e[1] + "'");
      }
      String text = card.replaceFirst(
          java.util.regex.Pattern.quote(e[1]), java.util.regex.Matcher.quoteReplacement(e[2]));
      add(
          e[0],
          "onnxruntime",
          model(e[0], text, "net.onnx", onnx, "net.pt", pt),
          Set.of(MODEL_EXCEPTION),
          e[3]);
    }
    String[][] whole = {
      {"card-empty-file", "", "model.yaml"},
      {"card-is-a-list", "- name: x\n- classes: [a]\n", "model.yaml"},
      {"card-is-text", "just some words\n", "model.yaml"},
      {"card-binary", new String(garbage(300), StandardCharsets.ISO_8859_1), "model.yaml"},
    };
    for (String[] w : whole) {
      add(w[0], "onnxruntime", model(w[0], w[1], "net.onnx", onnx), Set.of(MODEL_EXCEPTION), w[2]);
    }
    Path noCard = dir.resolve("folder-without-card");
    Files.createDirectories(noCard);
    Files.write(noCard.resolve("net.onnx"), onnx);
    add("folder-without-card", "onnxruntime", noCard, Set.of(MODEL_EXCEPTION), "model.yaml");
  }

  private String inputBlock() {
    int a = card.indexOf("input:\n");
    int b = card.indexOf("output:\n");
    return card.substring(a, b);
  }

  /** Card says 4 (or 6) classes, the network outputs 5: an error when the first image is segmented. */
  private void classCountCases() throws IOException {
    byte[] onnx = Files.readAllBytes(testnets.resolve("tiny-nchw/net.onnx"));
    byte[] pt = Files.readAllBytes(testnets.resolve("tiny-nchw/net.pt"));
    String five = "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n  - class4\n";
    for (String backend : List.of("onnxruntime", "opencv", "pytorch")) {
      String four = card.replace(five, "classes:\n  - class0\n  - class1\n  - class2\n  - class3\n")
          .replace("name: tiny-nchw", "name: four-of-five");
      add(
          "class-count-card-4-net-5-" + backend,
          backend,
          model("cc4-" + backend, four, "net.onnx", onnx, "net.pt", pt),
          Set.of(MODEL_EXCEPTION),
          "four-of-five");
      String six =
          card.replace(five, five + "  - class5\n").replace("name: tiny-nchw", "name: six-of-five");
      add(
          "class-count-card-6-net-5-" + backend,
          backend,
          model("cc6-" + backend, six, "net.onnx", onnx, "net.pt", pt),
          Set.of(MODEL_EXCEPTION),
          "six-of-five");
    }
  }

  /** Palettes with fewer colors than the model has classes. */
  private void paletteCases() throws IOException {
    Path tiny300 = testnets.resolve("tiny-300");
    Path tiny = testnets.resolve("tiny-nchw");
    Path colors2 = dir.resolve("two-colors.txt");
    Files.writeString(colors2, "0 0 0\n255 255 255\n");
    Path colorsBad = dir.resolve("bad-colors.txt");
    Files.writeString(colorsBad, "0 0 0\n255 255\n1 2 3\n4 5 6\n7 8 9\n");
    Path colorsRange = dir.resolve("range-colors.txt");
    Files.writeString(colorsRange, "0 0 0\n1 2 300\n1 2 3\n4 5 6\n7 8 9\n");
    Path colorsEmpty = dir.resolve("empty-colors.txt");
    Files.writeString(colorsEmpty, "# nothing\n");
    Path classes2 = dir.resolve("two-classes.txt");
    Files.writeString(classes2, "road\nsky\n");
    Object[][] p = {
      {"palette-voc-on-300-classes", tiny300, List.of("--palette", "voc"), "300"},
      {"palette-cityscapes-on-300-classes", tiny300, List.of("--palette", "cityscapes"), "300"},
      {"palette-ade20k-on-300-classes", tiny300, List.of("--palette", "ade20k"), "300"},
      {"palette-generated-2-on-5-classes", tiny, List.of("--palette", "generated:2"), "5 classes"},
      {"palette-unknown-name", tiny, List.of("--palette", "rainbow"), "rainbow"},
      {
        "colors-file-2-lines-on-5-classes",
        tiny,
        List.of("--colors", colors2.toString()),
        "two-colors.txt"
      },
      {
        "colors-file-2-lines-on-300-classes",
        tiny300,
        List.of("--colors", colors2.toString()),
        "two-colors.txt"
      },
      {
        "colors-file-two-values-on-a-line",
        tiny,
        List.of("--colors", colorsBad.toString()),
        "bad-colors.txt"
      },
      {
        "colors-file-value-out-of-range",
        tiny,
        List.of("--colors", colorsRange.toString()),
        "range-colors.txt"
      },
      {"colors-file-empty", tiny, List.of("--colors", colorsEmpty.toString()), "empty-colors.txt"},
      {
        "classes-file-2-names-on-5-classes",
        tiny,
        List.of("--classes", classes2.toString()),
        "two-classes.txt"
      },
    };
    for (Object[] c : p) {
      @SuppressWarnings("unchecked")
      List<String> extra = (List<String>) c[2];
      cases.add(new Case(
          (String) c[0],
          "opencv",
          (Path) c[1],
          Action.PALETTE,
          extra,
          Set.of(PALETTE_EXCEPTION),
          (String) c[3]));
    }
  }
}
