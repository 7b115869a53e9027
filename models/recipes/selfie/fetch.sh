#!/usr/bin/env bash
# Fetches MediaPipe Selfie Segmentation from its npm package (exact version, checksum pinned) and copies the
# general 256x256 model and the licence notes into models/shipped/selfie/. Run from anywhere:
#   models/recipes/selfie/fetch.sh [WORKDIR]
# Needs npm (the package registry is npm's default one), sha256sum and tar; nothing else is downloaded.
set -euo pipefail

PACKAGE='@mediapipe/selfie_segmentation'
VERSION='0.1.1675465747'
TARBALL='mediapipe-selfie_segmentation-0.1.1675465747.tgz'
SHA256='7767b33eaa68990ee06c28bbb89f39a13a47ebb07ff0f1fd4947d9e817bb9bf9'

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
work="${1:-$(mktemp -d)}"
dest="$repo/models/shipped/selfie"
mkdir -p "$work" "$dest"

cd "$work"
if [ ! -f "$TARBALL" ]; then
  npm pack --silent "$PACKAGE@$VERSION" >/dev/null
fi
echo "$SHA256  $TARBALL" | sha256sum -c -
rm -rf package
tar xzf "$TARBALL" package/selfie_segmentation.tflite package/selfie_segmentation_landscape.tflite \
  package/package.json package/README.md package/selfie_segmentation.binarypb
grep -q '"license": "Apache-2.0"' package/package.json || { echo "package.json no longer says Apache-2.0" >&2; exit 1; }

install -m 644 package/selfie_segmentation.tflite "$dest/selfie_segmentation.tflite"
install -m 644 package/package.json "$dest/package.json"
# the package carries no LICENSE file: its package.json declares Apache-2.0; ship that licence's text with it
if [ -f /usr/share/common-licenses/Apache-2.0 ]; then
  install -m 644 /usr/share/common-licenses/Apache-2.0 "$dest/LICENSE-Apache-2.0.txt"
fi
sha256sum "$dest/selfie_segmentation.tflite" package/selfie_segmentation_landscape.tflite
echo "extracted into $dest (landscape model left in $work/package: OpenCV 4.9 cannot read it, see CARD.md)"
