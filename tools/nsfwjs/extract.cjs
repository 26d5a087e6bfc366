#!/usr/bin/env node
// Turns one of nsfwjs's bundled backbones into a standard TF.js layers model on disk:
//   node extract.cjs <mobilenet_v2|inception_v3> <outDir>
// writes <outDir>/weights.bin (the shards' bytes, concatenated in manifest order) and then <outDir>/model.json.
// nsfwjs ships each model as UMD modules (a JS object for model.json, one base64 string per weight shard) so that
// bundlers can inline them; the C# importer wants the ordinary two-file layout instead.
'use strict';

const fs = require('fs');
const path = require('path');

const VARIANTS = ['mobilenet_v2', 'inception_v3'];

function fail(message) {
  process.stderr.write(`extract.cjs: ${message}\n`);
  process.exit(1);
}

// nsfwjs's "exports" map hides both dist/ and package.json from require.resolve, so look for the package folder
// along node's own module search paths instead.
function nsfwjsPackageFolder() {
  for (const candidate of require.resolve.paths('nsfwjs') || []) {
    const folder = path.join(candidate, 'nsfwjs');
    if (fs.existsSync(path.join(folder, 'package.json'))) {
      return folder;
    }
  }
  fail(`the npm package 'nsfwjs' is not installed next to ${__dirname}; run 'npm ci --ignore-scripts' there.`);
}

// Writes to a temporary name first so that a reader never sees half a file under the final name.
function writeAtomically(filePath, bytes) {
  const temp = `${filePath}.${process.pid}.tmp`;
  fs.writeFileSync(temp, bytes);
  fs.renameSync(temp, filePath);
}

function main(argv) {
  if (argv.length !== 2) {
    fail(`usage: node extract.cjs <${VARIANTS.join('|')}> <outDir>`);
  }
  const [variant, outDir] = argv;
  if (!VARIANTS.includes(variant)) {
    fail(`unknown model '${variant}'; expected one of: ${VARIANTS.join(', ')}.`);
  }

  const packageFolder = nsfwjsPackageFolder();
  const folder = path.join(packageFolder, 'dist', 'models', variant);
  const modelModule = path.join(folder, 'model.min.js');
  if (!fs.existsSync(modelModule)) {
    fail(`nsfwjs does not contain ${modelModule}; is the installed version the pinned one?`);
  }
  const { modelTopology, weightsManifest } = require(modelModule);
  if (!modelTopology || !Array.isArray(weightsManifest) || weightsManifest.length === 0) {
    fail(`${modelModule} does not export {modelTopology, weightsManifest}.`);
  }

  const shards = [];
  const weights = [];
  for (const group of weightsManifest) {
    for (const shardName of group.paths) {
      const encoded = require(path.join(folder, `${shardName}.min.js`));
      if (typeof encoded !== 'string') {
        fail(`weight shard ${shardName} does not export a base64 string.`);
      }
      shards.push(Buffer.from(encoded, 'base64'));
    }
    // Weight specs keep their quantization metadata untouched: the bytes stay quantized.
    weights.push(...group.weights);
  }

  fs.mkdirSync(outDir, { recursive: true });
  writeAtomically(path.join(outDir, 'weights.bin'), Buffer.concat(shards));
  const modelJson = {
    format: 'layers-model',
    generatedBy: `nsfwjs ${require(path.join(packageFolder, 'package.json')).version}`,
    convertedBy: 'tools/nsfwjs/extract.cjs',
    modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
  // model.json is written last: its presence says the folder is complete.
  writeAtomically(path.join(outDir, 'model.json'), JSON.stringify(modelJson));
}

try {
  main(process.argv.slice(2));
} catch (error) {
  fail(error && error.stack ? error.stack : String(error));
}
