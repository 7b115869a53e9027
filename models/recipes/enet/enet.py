"""ENet (Paszke et al. 2016, arXiv:1606.02147), written so that one exported graph runs the same
on OpenCV DNN 4.9, ONNX Runtime and PyTorch (TorchScript).

Differences from the paper, and why:

* Max-unpooling is rebuilt from operators every runtime has.  PyTorch 1.13 cannot export
  max_unpool2d, ONNX MaxUnpool numbers its indices differently from PyTorch, and OpenCV 4.9's
  ONNX importer refuses MaxPool's second (indices) output.  Instead the encoder keeps a soft
  switch mask, computed from its input x and the pooled map p:

      d    = nearest_upsample(p) - x          (>= 0, exactly 0 where x is the window maximum)
      mask = relu(1 - SWITCH_SHARPNESS * d)    (1 at the maximum, 0 far below it)

  and the decoder unpools with  nearest_upsample(y) * mask.  Only MaxPool, Resize (nearest,
  scale 2), Sub, Mul and Relu are involved; no comparison operator (OpenCV's support for Equal
  varies by version), and the ramp keeps last-bit differences between runtimes from flipping a
  switch.  Ties (flat image regions) open every tied switch instead of just the first.
  The network is trained with this unpooling, so it is its own definition, not an approximation.
* The main branch of a downsampling bottleneck projects channels with a 1x1 convolution
  (+ batch norm) instead of zero-padding them (a channel Pad is another importer risk).
* Widths and repeats are parameters; the shipped model uses the paper's (16, 64, 128), 4 stage-1
  bottlenecks and stage 3 (see README.md for the narrower network it replaced).
* The decoder uses PReLU like the encoder (the paper uses ReLU there).
* Optional full-resolution refinement (`refine=W`, W > 0): the paper's last layer turns each
  half-resolution feature vector into a 2x2 block of scores, so a class edge inside a block has
  to be encoded in 16 channels (the stage-3 model made 1.4 to 1.6x more errors next to edges
  inside a 2x2 block than between blocks). The head sees the image and those scores at full
  resolution (1x1 conv to W channels, two 3x3 convs, 1x1 conv back to a per-class correction that
  is added to the scores; the last conv starts at zero, so a trained ENet starts unchanged).

Input sizes must be multiples of 8.  The output is NCHW class scores (logits) at full input
resolution.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SWITCH_SHARPNESS = 10.0


def up2(x):
    return F.interpolate(x, scale_factor=2.0, mode="nearest")


class InitialBlock(nn.Module):
    """conv 3x3 stride 2 (out - 3 channels) concatenated with a 2x2 max-pool of the image."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch - in_ch, 3, stride=2, padding=1, bias=False)
        self.pool = nn.MaxPool2d(2, 2)
        self.bn = nn.BatchNorm2d(out_ch)
        self.act = nn.PReLU(out_ch)

    def forward(self, x):
        return self.act(self.bn(torch.cat([self.conv(x), self.pool(x)], 1)))


def conv_bn_act(cin, cout, k, stride=1, padding=0, dilation=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride=stride, padding=padding, dilation=dilation, bias=False),
              nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.PReLU(cout))
    return nn.Sequential(*layers)


class Bottleneck(nn.Module):
    """Regular, dilated or asymmetric (5x1 then 1x5) bottleneck with a residual connection."""

    def __init__(self, ch, kind="regular", dilation=1, dropout=0.1, ratio=4):
        super().__init__()
        mid = ch // ratio
        if kind == "asymmetric":
            middle = nn.Sequential(
                nn.Conv2d(mid, mid, (5, 1), padding=(2, 0), bias=False),
                conv_bn_act(mid, mid, (1, 5), padding=(0, 2)))
        else:
            middle = conv_bn_act(mid, mid, 3, padding=dilation, dilation=dilation)
        self.ext = nn.Sequential(conv_bn_act(ch, mid, 1), middle, conv_bn_act(mid, ch, 1, act=False),
                                 nn.Dropout2d(dropout))
        self.act = nn.PReLU(ch)

    def forward(self, x):
        return self.act(x + self.ext(x))


class DownsamplingBottleneck(nn.Module):
    """Halves the resolution; returns (output, switch mask of the input)."""

    def __init__(self, cin, cout, dropout=0.01, ratio=4):
        super().__init__()
        mid = cout // ratio
        self.pool = nn.MaxPool2d(2, 2)
        self.main = conv_bn_act(cin, cout, 1, act=False)
        self.ext = nn.Sequential(conv_bn_act(cin, mid, 2, stride=2), conv_bn_act(mid, mid, 3, padding=1),
                                 conv_bn_act(mid, cout, 1, act=False), nn.Dropout2d(dropout))
        self.act = nn.PReLU(cout)

    def forward(self, x):
        pooled = self.pool(x)
        mask = F.relu(1.0 - SWITCH_SHARPNESS * (up2(pooled) - x))
        return self.act(self.main(pooled) + self.ext(x)), mask


class UpsamplingBottleneck(nn.Module):
    """Doubles the resolution, unpooling through the switch mask of the matching encoder stage."""

    def __init__(self, cin, cout, ratio=4):
        super().__init__()
        mid = cin // ratio
        self.main = conv_bn_act(cin, cout, 1, act=False)
        self.ext = nn.Sequential(
            conv_bn_act(cin, mid, 1),
            nn.ConvTranspose2d(mid, mid, 2, stride=2, bias=False), nn.BatchNorm2d(mid), nn.PReLU(mid),
            conv_bn_act(mid, cout, 1, act=False))
        self.act = nn.PReLU(cout)

    def forward(self, x, mask):
        return self.act(up2(self.main(x)) * mask + self.ext(x))


class Refine(nn.Module):
    """Full-resolution correction of the scores from the image and the scores themselves."""

    def __init__(self, num_classes, width, in_ch=3):
        super().__init__()
        self.mix = conv_bn_act(in_ch + num_classes, width, 1)
        self.ctx = nn.Sequential(conv_bn_act(width, width, 3, padding=1), conv_bn_act(width, width, 3, padding=1))
        self.out = nn.Conv2d(width, num_classes, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, image, scores):
        return scores + self.out(self.ctx(self.mix(torch.cat([image, scores], 1))))


class ENet(nn.Module):
    """widths = (initial, stage 1, stage 2/3); the paper's is (16, 64, 128) with stage1_repeats=4, stage3=True."""

    def __init__(self, num_classes=19, widths=(16, 64, 128), stage1_repeats=4, stage3=True, refine=0):
        super().__init__()
        w0, w1, w2 = widths
        self.initial = InitialBlock(3, w0)
        self.down1 = DownsamplingBottleneck(w0, w1, dropout=0.01)
        self.stage1 = nn.Sequential(*[Bottleneck(w1, dropout=0.01) for _ in range(stage1_repeats)])
        self.down2 = DownsamplingBottleneck(w1, w2, dropout=0.1)

        def stage23():
            return [Bottleneck(w2), Bottleneck(w2, dilation=2), Bottleneck(w2, "asymmetric"),
                    Bottleneck(w2, dilation=4), Bottleneck(w2), Bottleneck(w2, dilation=8),
                    Bottleneck(w2, "asymmetric"), Bottleneck(w2, dilation=16)]

        self.stage2 = nn.Sequential(*(stage23() + (stage23() if stage3 else [])))
        self.up4 = UpsamplingBottleneck(w2, w1)
        self.stage4 = nn.Sequential(Bottleneck(w1, dropout=0.0), Bottleneck(w1, dropout=0.0))
        self.up5 = UpsamplingBottleneck(w1, w0)
        self.stage5 = Bottleneck(w0, dropout=0.0)
        self.fullconv = nn.ConvTranspose2d(w0, num_classes, 2, stride=2)
        self.refine = Refine(num_classes, refine) if refine > 0 else None

    def forward(self, image):
        x = self.initial(image)
        x, mask1 = self.down1(x)
        x = self.stage1(x)
        x, mask2 = self.down2(x)
        x = self.stage2(x)
        x = self.stage4(self.up4(x, mask2))
        x = self.stage5(self.up5(x, mask1))
        scores = self.fullconv(x)
        return scores if self.refine is None else self.refine(image, scores)

    def last_bias(self):
        """The bias added last to every score (calibration offsets are folded into it)."""
        return "fullconv.bias" if self.refine is None else "refine.out.bias"


# The configuration the shipped model was trained with (README.md explains the choice).
SHIPPED = dict(num_classes=19, widths=(16, 64, 128), stage1_repeats=4, stage3=True, refine=16)


def build(**overrides):
    cfg = dict(SHIPPED)
    cfg.update(overrides)
    return ENet(**cfg)
