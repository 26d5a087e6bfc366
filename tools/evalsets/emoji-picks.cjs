// The emoji both emoji sets of scripts/eval-common.sh are made of: 9 labels (emoji-datasource's categories,
// "Component" left out), 40 emoji per label that Google, Twitter, Apple and Facebook all draw, picked by a hash of the
// code point so the pick is the same everywhere.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const perLabel = 40;
const vendors = ["google", "twitter", "apple", "facebook"];
const packageDir = (vendor) => path.join(__dirname, "node_modules", `emoji-datasource-${vendor}`);
const slug = (category) => category.toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "");
const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");

/** [[label, [emoji-datasource entry, ...]], ...] sorted by label, each list in pick order. */
function pickEmoji() {
  const emoji = JSON.parse(fs.readFileSync(path.join(packageDir("google"), "emoji.json"), "utf8"));
  const byLabel = new Map();
  for (const e of emoji) {
    if (e.category === "Component" || !vendors.every((v) => e[`has_img_${v}`])) continue;
    const label = slug(e.category);
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label).push(e);
  }
  return [...byLabel].sort().map(([label, all]) =>
    [label, all.sort((a, b) => hash(a.unified).localeCompare(hash(b.unified))).slice(0, perLabel)]);
}

/** Copies one vendor's 64 px drawing of emoji e to dir/<vendor>-<code>.png. */
function copyVendorImage(vendor, e, dir) {
  const source = path.join(packageDir(vendor), "img", vendor, "64", e.image);
  fs.copyFileSync(source, path.join(dir, `${vendor}-${e.unified.toLowerCase()}.png`));
}

module.exports = { perLabel, pickEmoji, copyVendorImage };
