/**
 * A tabular binary classification with the @selfnorm/nn toolkit, end to end: standardize the features,
 * split train / validation / test, a deep self-normalizing network, a DataLoader, AdamW with a linear
 * warm-up and a cosine decay, gradient clipping, early stopping on validation ROC AUC, the
 * self-normalization monitor, and the best weights saved as safetensors and loaded back.
 *
 * Run it: npx -y pnpm@12.4.2 --filter @selfnorm/examples tabular
 * The data is generated: 24 features, 8 of them informative through a non-linear rule, with label noise.
 */
import {
  AdamW,
  AlphaDropout,
  binaryCrossEntropyWithLogits,
  CosineAnnealingLR,
  clipGradNorm,
  DataLoader,
  Linear,
  LinearLR,
  loadSafetensors,
  type Module,
  randomSplit,
  rocAuc,
  SELU,
  SelfNormalizationMonitor,
  Sequential,
  SequentialLR,
  StandardScaler,
  saveSafetensors,
  TensorDataset,
} from '@selfnorm/nn';
import { noGrad, Rng, type Tensor, tensor } from '@selfnorm/tensor';

/** `n` samples of `features` columns on different scales; the label depends on 8 of them, non-linearly. */
export function makeData(n: number, features: number, rng: Rng): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * features, (i + 1) * features);
    for (let j = 0; j < features; j++) row[j] = rng.normal() * (1 + j) + 3 * j; // unstandardized on purpose
    const z = (j: number) => (row[j] - 3 * j) / (1 + j);
    const score = z(0) * z(1) + Math.sin(2 * z(2)) + z(3) ** 2 - 1 + 0.5 * z(4) - z(5) * z(6) + 0.3 * z(7);
    y[i] = score + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return { x: tensor(x, { shape: [n, features] }), y: tensor(y) };
}

/** A deep SNN: `depth` × (Linear → SELU → AlphaDropout), then one logit. LeCun-normal weights by default. */
function snn(inputs: number, width: number, depth: number, rng: Rng): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < depth; i++) {
    layers.push(new Linear(i === 0 ? inputs : width, width, { rng }), new SELU());
    layers.push(new AlphaDropout({ rate: 0.05, rng }));
  }
  layers.push(new Linear(width, 1, { rng }));
  return new Sequential(...layers);
}

export interface TabularResult {
  /** Epochs trained before early stopping. */
  epochs: number;
  bestEpoch: number;
  bestValidationAuc: number;
  /** Test AUC of the best weights, after saving them and loading them into a fresh model. */
  testAuc: number;
  /** Each hidden layer's activation mean and variance over the first epoch. */
  firstEpochMoments: { mean: number; variance: number }[];
  /** The largest gradient norm seen before clipping. */
  maxGradNorm: number;
}

/** Trains and evaluates; returns what a reader would check. */
export function runTabular({
  seed = 0,
  maxEpochs = 40,
  patience = 6,
  log = console.log,
} = {}): TabularResult {
  const rng = new Rng(seed);
  const { x, y } = makeData(3000, 24, rng);
  const all = new TensorDataset(x, y);
  const [trainSet, valSet, testSet] = randomSplit(all, [0.7, 0.15, 0.15], { rng });

  // Standardize with the training split's statistics only, as the SNN paper prepares its inputs.
  const [trainX, trainY] = trainSet.batch(trainSet.indices.map((_, i) => i));
  const scaler = StandardScaler.fit(trainX);
  const prepared = (set: typeof valSet) => {
    const [sx, sy] = set.batch(set.indices.map((_, i) => i));
    return { x: scaler.transform(sx), y: sy };
  };
  const val = prepared(valSet);
  const test = prepared(testSet);
  const loader = new DataLoader(new TensorDataset(scaler.transform(trainX), trainY), {
    batchSize: 64,
    shuffle: true,
    rng,
  });

  const model = snn(24, 64, 8, rng);
  const optimizer = new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 1e-4 });
  const stepsPerEpoch = loader.length;
  const warmUp = new LinearLR(optimizer, { startFactor: 0.1, totalIters: stepsPerEpoch });
  const decay = new CosineAnnealingLR(optimizer, { tMax: (maxEpochs - 1) * stepsPerEpoch });
  const schedule = new SequentialLR(optimizer, { schedulers: [warmUp, decay], milestones: [stepsPerEpoch] });
  const monitor = new SelfNormalizationMonitor(model);

  const auc = (m: Module, data: { x: Tensor; y: Tensor }) => {
    m.eval();
    const scores = noGrad(() => m.forward(data.x)).reshape([-1]);
    m.train();
    return rocAuc(scores, data.y);
  };

  let best: { auc: number; epoch: number; weights: Uint8Array } = {
    auc: -1,
    epoch: 0,
    weights: new Uint8Array(),
  };
  let firstEpochMoments: { mean: number; variance: number }[] = [];
  let maxGradNorm = 0;
  let epoch = 0;
  while (epoch < maxEpochs && epoch - best.epoch < patience) {
    epoch++;
    let lossSum = 0;
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = binaryCrossEntropyWithLogits(model.forward(xb).reshape([-1]), yb);
      loss.backward();
      maxGradNorm = Math.max(maxGradNorm, clipGradNorm(model.parameters(), 1.0));
      optimizer.step();
      schedule.step();
      lossSum += loss.item();
    }
    if (epoch === 1) firstEpochMoments = monitor.layers().map(({ mean, variance }) => ({ mean, variance }));
    const drifting = monitor.flagged().map((l) => l.name);
    monitor.reset();
    const valAuc = auc(model, val);
    log(
      `epoch ${epoch}: train loss ${(lossSum / stepsPerEpoch).toFixed(4)}, validation AUC ${valAuc.toFixed(4)}, ` +
        `lr ${optimizer.lr.toExponential(2)}${drifting.length > 0 ? `, layers off (0, 1): ${drifting.join(' ')}` : ''}`,
    );
    if (valAuc > best.auc) best = { auc: valAuc, epoch, weights: saveSafetensors(model.stateDict()) };
  }
  monitor.remove();

  // The best weights, from their safetensors bytes, into a fresh model: what a deployment would load.
  const restored = snn(24, 64, 8, new Rng(seed + 1));
  restored.loadStateDict(loadSafetensors(best.weights).tensors);
  const testAuc = auc(restored, test);
  log(
    `best epoch ${best.epoch} (validation AUC ${best.auc.toFixed(4)}); test AUC of the saved weights ${testAuc.toFixed(4)}`,
  );
  return {
    epochs: epoch,
    bestEpoch: best.epoch,
    bestValidationAuc: best.auc,
    testAuc,
    firstEpochMoments,
    maxGradNorm,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) runTabular();
