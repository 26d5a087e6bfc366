// Builds a second "emoji in an unseen style" set for scripts/style-eval.sh: the training part of the emoji set (Google's
// and Twitter's colour drawings of the emoji of emoji-picks.cjs), and as the holdout the same emoji as the black
// glyphs of a monochrome text font, Symbola (Debian fonts-symbola, free use): solid black shapes with white detail, no
// colour, no shading, neither the colour drawings of the training part nor the line drawings of emoji-lineart.cjs.
// Each glyph's outline (opentype.js) is fitted to a square with a small margin and rendered at 64 px, the training
// images' size, by rsvg-convert. Only emoji that are one code point (besides the variation selector FE0F) and that
// Symbola draws are in the holdout; the flags are left out, as emoji-lineart.cjs leaves them out.
//
//   node emoji-glyphs.cjs OUT  ->  OUT/train/<label>/<vendor>-<code>.png, OUT/test/<label>/symbola-<code>.png
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const opentype = require("opentype.js");
const { pickEmoji, copyVendorImage } = require("./emoji-picks.cjs");

const out = process.argv[2];
if (!out) { console.error("usage: node emoji-glyphs.cjs OUT"); process.exit(2); }
const fontFile = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";
const trainVendors = ["google", "twitter"];
const size = 64, margin = 0.04;

const bytes = fs.readFileSync(fontFile);
const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));

/** The glyph's outline as an SVG document fitted to a size x size square, or null where Symbola has no glyph. */
function glyphSvg(unified) {
  const codePoints = unified.split("-").filter((c) => c !== "FE0F").map((c) => parseInt(c, 16));
  if (codePoints.length !== 1) return null;
  const glyph = font.charToGlyph(String.fromCodePoint(codePoints[0]));
  if (glyph.index === 0) return null;
  const outline = glyph.getPath(0, 0, 1000);
  const box = outline.getBoundingBox();
  const width = box.x2 - box.x1, height = box.y2 - box.y1;
  if (!(width > 0 && height > 0)) return null;
  // A square view box about the glyph's centre, so the glyph keeps its proportions and sits in the middle.
  const side = Math.max(width, height) * (1 + 2 * margin);
  const left = (box.x1 + box.x2 - side) / 2, top = (box.y1 + box.y2 - side) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="${left} ${top} ${side} ${side}">`
    + `<rect x="${left}" y="${top}" width="${side}" height="${side}" fill="white"/>`
    + `<path d="${outline.toPathData(2)}" fill="black"/></svg>`;
}

let train = 0, test = 0, missing = 0;
for (const [label, picked] of pickEmoji()) {
  const trainDir = path.join(out, "train", label), testDir = path.join(out, "test", label);
  fs.mkdirSync(trainDir, { recursive: true });
  for (const e of picked) {
    for (const vendor of trainVendors) { copyVendorImage(vendor, e, trainDir); train++; }
    if (label === "flags") continue;
    const svg = glyphSvg(e.unified);
    if (!svg) { missing++; continue; }
    fs.mkdirSync(testDir, { recursive: true });
    const svgFile = path.join(testDir, `symbola-${e.unified.toLowerCase()}.svg`);
    fs.writeFileSync(svgFile, svg);
    execFileSync("rsvg-convert", ["-w", `${size}`, "-h", `${size}`, "-o", svgFile.replace(/\.svg$/, ".png"), svgFile]);
    fs.unlinkSync(svgFile);
    test++;
  }
}
console.log(`${train} train images (${trainVendors}), ${test} Symbola glyphs in ${out} (${missing} emoji Symbola does not draw as one glyph)`);
