#!/bin/sh
# Renders the app icon's hicolor PNG sizes from ferry.svg (run after changing the drawing; needs rsvg-convert
# from librsvg2-bin). The PNGs are committed so that building needs no SVG renderer.
set -eu
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256; do
  mkdir -p "$size"
  rsvg-convert -w "$size" -h "$size" ferry.svg -o "$size/ferry.png"
done
