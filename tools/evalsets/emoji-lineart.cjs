// Builds the "emoji in an unseen style" set of scripts/holdout-eval.sh: the training part of the emoji set (Google's
// and Twitter's colour drawings of the emoji of emoji-picks.cjs), and as the holdout OpenMoji's black line drawings of
// the same emoji (npm openmoji, CC BY-SA 4.0, used locally, never committed): outlines only, no colour, no shading, a
// style no training image shows. Rendered at 64 px, the training images' size, by rsvg-convert. An emoji OpenMoji
// does not draw is left out of the holdout, and so are the flags: drawn in outline, every flag is the same bare
// rectangle, with nothing left to recognise.
//
//   node emoji-lineart.cjs OUT  ->  OUT/train/<label>/<vendor>-<code>.png, OUT/test/<label>/openmoji-<code>.png
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { pickEmoji, copyVendorImage } = require("./emoji-picks.cjs");

const out = process.argv[2];
if (!out) { console.error("usage: node emoji-lineart.cjs OUT"); process.exit(2); }
const trainVendors = ["google", "twitter"];
const lineArt = path.join(__dirname, "node_modules", "openmoji", "black", "svg");

// OpenMoji names a file by its code points like emoji-datasource, but sometimes without the variation selector FE0F.
const lineArtFile = (unified) =>
  [unified, unified.replace(/-FE0F/g, "")].map((name) => path.join(lineArt, `${name}.svg`)).find(fs.existsSync);

let train = 0, test = 0, missing = 0;
const labels = pickEmoji();
for (const [label, picked] of labels) {
  const trainDir = path.join(out, "train", label), testDir = path.join(out, "test", label);
  fs.mkdirSync(trainDir, { recursive: true });
  if (label !== "flags") fs.mkdirSync(testDir, { recursive: true });
  for (const e of picked) {
    for (const vendor of trainVendors) { copyVendorImage(vendor, e, trainDir); train++; }
    if (label === "flags") continue;
    const svg = lineArtFile(e.unified);
    if (!svg) { missing++; continue; }
    execFileSync("rsvg-convert", ["-w", "64", "-h", "64", "-o",
      path.join(testDir, `openmoji-${e.unified.toLowerCase()}.png`), svg]);
    test++;
  }
}
console.log(`${train} train images (${trainVendors}), ${test} OpenMoji line drawings in ${out} (${missing} emoji OpenMoji does not draw)`);
