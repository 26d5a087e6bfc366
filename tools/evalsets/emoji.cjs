// Builds the "emoji across vendors" set of scripts/holdout-eval.sh from the pinned emoji-datasource packages
// (the emoji of emoji-picks.cjs). Train = two vendors' drawings of those emoji, test = the two other vendors' drawings
// of the same emoji: 80 + 80 images per label, the test designs never seen.
//
//   node emoji.cjs OUT   ->  OUT/train/<label>/<vendor>-<code>.png, OUT/test/<label>/<vendor>-<code>.png
"use strict";
const fs = require("fs");
const path = require("path");
const { perLabel, pickEmoji, copyVendorImage } = require("./emoji-picks.cjs");

const out = process.argv[2];
if (!out) { console.error("usage: node emoji.cjs OUT"); process.exit(2); }
const trainVendors = ["google", "twitter"];
const testVendors = ["apple", "facebook"];

let written = 0;
const labels = pickEmoji();
for (const [label, picked] of labels) {
  for (const [part, partVendors] of [["train", trainVendors], ["test", testVendors]]) {
    const dir = path.join(out, part, label);
    fs.mkdirSync(dir, { recursive: true });
    for (const e of picked)
      for (const vendor of partVendors) {
        copyVendorImage(vendor, e, dir);
        written++;
      }
  }
}
console.log(`${written} images in ${out} (${labels.length} labels x ${perLabel} emoji; train: ${trainVendors}, test: ${testVendors})`);
