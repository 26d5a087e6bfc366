// Builds the "emoji across vendors" set of scripts/holdout-eval.sh from the pinned emoji-datasource packages:
// 9 labels (emoji-datasource's categories, "Component" left out), 40 emoji per label that every vendor draws, picked
// by a hash of their code point so the pick is the same everywhere. Train = two vendors' drawings of those emoji,
// test = the two other vendors' drawings of the same emoji: 80 + 80 images per label, the test designs never seen.
//
//   node emoji.cjs OUT   ->  OUT/train/<label>/<vendor>-<code>.png, OUT/test/<label>/<vendor>-<code>.png
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const out = process.argv[2];
if (!out) { console.error("usage: node emoji.cjs OUT"); process.exit(2); }
const perLabel = 40;
const trainVendors = ["google", "twitter"];
const testVendors = ["apple", "facebook"];
const vendors = [...trainVendors, ...testVendors];

const packageDir = (vendor) => path.join(__dirname, "node_modules", `emoji-datasource-${vendor}`);
const emoji = JSON.parse(fs.readFileSync(path.join(packageDir("google"), "emoji.json"), "utf8"));
const slug = (category) => category.toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "");
const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");

const byLabel = new Map();
for (const e of emoji) {
  if (e.category === "Component" || !vendors.every((v) => e[`has_img_${v}`])) continue;
  const label = slug(e.category);
  if (!byLabel.has(label)) byLabel.set(label, []);
  byLabel.get(label).push(e);
}

let written = 0;
for (const [label, all] of [...byLabel].sort()) {
  const picked = all.sort((a, b) => hash(a.unified).localeCompare(hash(b.unified))).slice(0, perLabel);
  for (const [part, partVendors] of [["train", trainVendors], ["test", testVendors]]) {
    const dir = path.join(out, part, label);
    fs.mkdirSync(dir, { recursive: true });
    for (const e of picked)
      for (const vendor of partVendors) {
        const source = path.join(packageDir(vendor), "img", vendor, "64", e.image);
        fs.copyFileSync(source, path.join(dir, `${vendor}-${e.unified.toLowerCase()}.png`));
        written++;
      }
  }
}
console.log(`${written} images in ${out} (${byLabel.size} labels x ${perLabel} emoji; train: ${trainVendors}, test: ${testVendors})`);
