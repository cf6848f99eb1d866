#!/usr/bin/env bash
# Sets grif up on a Debian machine, as root: the Debian packages below when missing, then `npm ci`,
# which installs the locked npm packages and builds grif (npm's prepare step). Nothing is fetched
# at run time.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

# Why each Debian package:
#   nodejs npm              Node.js 20 or newer runs grif (only when no such Node.js is present)
#   tesseract-ocr-kaz/kir/rus  OCR language data (Kazakh, Kyrgyz, Russian) that tesseract.js reads from disk
#   tesseract-ocr           the native tesseract, measured against in bench/ (grif itself uses tesseract.js)
#   tesseract-ocr-script-cyrl  Debian's Cyrillic script model, which bench/ocr.bench.ts's model-choice step weighs against kaz+kir+rus
#   fonts-dejavu-core       a font with full Kazakh/Kyrgyz Cyrillic, to draw the test carriers
#   poppler-utils qpdf      independent PDF readers (and pdfsig, a signer and verifier) the tests check grif's PDFs with
#   img2pdf ghostscript     other producers of scanned PDFs, for the stamping tests
#   libnss3-tools openssl   a test certificate, to sign a PDF the stamping tests must keep valid
#   redis-server            the queue of the stamping service (grif up starts it; the tests start their own)
#   postgresql              the register's multi-machine option; the tests start a server of their own
#   chromium                the headless browser the web page's end-to-end tests drive (playwright-core; no browser download)
#   libopenjp2-tools        opj_compress, to make the JPEG 2000 scans the encoding tests read
#   netpbm                  pnmtotiff, the CCITT G3/G4 encoder for the fax and JBIG2 MMR test scans
#   jbig2dec                an independent JBIG2 decoder that checks the test-only JBIG2 writer's output
PACKAGES=(tesseract-ocr tesseract-ocr-kaz tesseract-ocr-kir tesseract-ocr-rus tesseract-ocr-script-cyrl fonts-dejavu-core poppler-utils qpdf
  img2pdf ghostscript libnss3-tools openssl redis-server postgresql chromium libopenjp2-tools netpbm jbig2dec)

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
node_ok || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing from Debian: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! node_ok; then
  echo "setup: grif needs Node.js 20 or newer with npm; this machine has $(node --version 2>/dev/null || echo no Node.js)." >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
