#!/usr/bin/env node
// Computes the features an ONNX backbone made by TfjsToOnnxConverter must reproduce, with TensorFlow.js itself:
//   node reference-features.cjs <model.json> <input.f32> <N> <H> <W> <tap1,tap2,...> <average|averageandmax> <output.f32>
// input.f32 holds N*H*W*3 little-endian float32 values in NHWC order; output.f32 receives N*F little-endian float32
// values: for each sample, each tap's global average pool (then, for averageandmax, its global max pool), in tap order.
// It runs on tfjs's pure-JavaScript CPU backend so that the reference needs no native build.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(message) {
  process.stderr.write(`reference-features.cjs: ${message}\n`);
  process.exit(1);
}

function positiveInteger(text, what) {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    fail(`${what} must be a positive integer, got '${text}'.`);
  }
  return value;
}

function readLittleEndianFloats(filePath, expectedCount) {
  const bytes = fs.readFileSync(filePath);
  if (bytes.length !== expectedCount * 4) {
    fail(`${filePath} holds ${bytes.length} bytes; expected ${expectedCount * 4} (N*H*W*3 float32 values).`);
  }
  const values = new Float32Array(expectedCount);
  for (let i = 0; i < expectedCount; i++) {
    values[i] = bytes.readFloatLE(i * 4);
  }
  return values;
}

function writeLittleEndianFloats(filePath, values) {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    bytes.writeFloatLE(values[i], i * 4);
  }
  const temp = `${filePath}.${process.pid}.tmp`;
  fs.writeFileSync(temp, bytes);
  fs.renameSync(temp, filePath);
}

// Reads model.json and its weight files from disk into the artifacts tf.io.fromMemory expects; tfjs's own file://
// loader lives in tfjs-node, which this tool deliberately avoids.
function readArtifacts(modelJsonPath) {
  const modelJson = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  const folder = path.dirname(modelJsonPath);
  const weightSpecs = [];
  const buffers = [];
  for (const group of modelJson.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const file of group.paths) {
      buffers.push(fs.readFileSync(path.join(folder, file)));
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return { modelTopology: modelJson.modelTopology, weightSpecs, weightData };
}

async function main(argv) {
  if (argv.length !== 8) {
    fail('usage: node reference-features.cjs <model.json> <input.f32> <N> <H> <W> <tap1,tap2,...> ' +
      '<average|averageandmax> <output.f32>');
  }
  const [modelJsonPath, inputPath, nText, hText, wText, tapList, poolingText, outputPath] = argv;
  const n = positiveInteger(nText, 'N');
  const h = positiveInteger(hText, 'H');
  const w = positiveInteger(wText, 'W');
  const taps = tapList.split(',').filter((tap) => tap.length > 0);
  if (taps.length === 0) {
    fail('at least one tap layer name is required.');
  }
  const pooling = poolingText.toLowerCase();
  if (pooling !== 'average' && pooling !== 'averageandmax') {
    fail(`pooling must be 'average' or 'averageandmax', got '${poolingText}'.`);
  }

  let tf;
  try {
    tf = require('@tensorflow/tfjs');
  } catch {
    fail(`the npm package '@tensorflow/tfjs' is not installed next to ${__dirname}; run 'npm ci --ignore-scripts' there.`);
  }
  await tf.setBackend('cpu');

  const model = await tf.loadLayersModel(tf.io.fromMemory(readArtifacts(modelJsonPath)));
  const outputs = taps.map((tap) => {
    try {
      return model.getLayer(tap).output;
    } catch {
      return fail(`the model has no layer named '${tap}'.`);
    }
  });
  const extractor = tf.model({ inputs: model.inputs, outputs });

  const input = tf.tensor4d(readLittleEndianFloats(inputPath, n * h * w * 3), [n, h, w, 3]);
  const features = tf.tidy(() => {
    let tapOutputs = extractor.predict(input);
    if (!Array.isArray(tapOutputs)) {
      tapOutputs = [tapOutputs];
    }
    const pooled = [];
    for (const output of tapOutputs) {
      // NHWC: axes 1 and 2 are the spatial ones, exactly what ONNX's GlobalAveragePool/GlobalMaxPool reduce in NCHW.
      pooled.push(tf.mean(output, [1, 2]));
      if (pooling === 'averageandmax') {
        pooled.push(tf.max(output, [1, 2]));
      }
    }
    return tf.concat(pooled, 1);
  });
  writeLittleEndianFloats(outputPath, features.dataSync());
  process.stdout.write(`${JSON.stringify({ samples: n, featureLength: features.shape[1] })}\n`);
}

main(process.argv.slice(2)).catch((error) => fail(error && error.stack ? error.stack : String(error)));
