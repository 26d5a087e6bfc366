// Builds an "on coloured paper" copy of a holdout: every PNG of SRC/<label>/ drawn onto a uniform background that is
// not white (paper tones and a few light colours, one per image, picked by a hash of its file name), as a drawing
// scanned from tinted paper or an icon exported onto a coloured canvas would arrive. The training images are left as
// they are, so a model meets a margin colour no training image shows. Transparent pixels take the colour; an image
// whose own background is opaque white keeps it. Composited by rsvg-convert, at the source's size.
//
//   node on-paper.cjs SRC OUT  ->  OUT/<label>/<file>.png
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { execFileSync } = require("child_process");

// Fixed before measuring; none is within 24 (ContentBounds.Tolerance) of white in every channel, none is dark enough
// to hide a black line drawing.
const papers = [
  [244, 236, 214], // cream
  [206, 178, 138], // kraft
  [192, 192, 192], // grey
  [200, 222, 244], // light blue
  [208, 238, 212], // mint
  [236, 160, 130], // coral
];

const [src, out] = process.argv.slice(2);
if (!src || !out) { console.error("usage: node on-paper.cjs SRC OUT"); process.exit(2); }

// A PNG's size sits in its IHDR chunk, bytes 16-23, big-endian.
const pngSize = (file) => {
  const head = Buffer.alloc(24);
  const fd = fs.openSync(file, "r");
  try { fs.readSync(fd, head, 0, 24, 0); } finally { fs.closeSync(fd); }
  if (head.toString("latin1", 1, 4) !== "PNG") throw new Error(`${file}: not a PNG`);
  return [head.readUInt32BE(16), head.readUInt32BE(20)];
};

let count = 0;
for (const label of fs.readdirSync(src).sort()) {
  const from = path.join(src, label), to = path.join(out, label);
  if (!fs.statSync(from).isDirectory()) continue;
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from).sort()) {
    const file = path.join(from, name);
    const [w, h] = pngSize(file);
    const pick = parseInt(crypto.createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % papers.length;
    const [r, g, b] = papers[pick];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect width="${w}" height="${h}" fill="rgb(${r},${g},${b})"/>` +
      `<image width="${w}" height="${h}" href="data:image/png;base64,${fs.readFileSync(file).toString("base64")}"/></svg>`;
    execFileSync("rsvg-convert", ["-o", path.join(to, name.replace(/\.[^.]+$/, "") + ".png")], { input: svg });
    count++;
  }
}
console.log(`${count} images on ${papers.length} paper colours in ${out}`);
