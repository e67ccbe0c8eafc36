import { type ChartPoint, renderLineChart } from './charts.ts';
import type { CompareMetrics, Divergence, LayerStats, RunMetrics } from './metrics.ts';

/** The network's name, e.g. "SNN (SELU, LeCun normal, AlphaDropout 0.05)". */
function networkName(activation: string, dropout: number): string {
  const drop = (name: string) => (dropout > 0 ? `, ${name} ${dropout}` : ', no dropout');
  if (activation === 'selu') return `SNN (SELU, LeCun normal${drop('AlphaDropout')})`;
  if (activation === 'relu') return `ReLU (He normal${drop('dropout')})`;
  return `ReLU + BatchNorm (He normal${drop('dropout')})`;
}

/**
 * Builds the self-contained HTML report of one run: loss curves (per epoch and the running loss per
 * step), test accuracy, and each hidden layer's activation mean and variance over training and by depth,
 * all as inline SVG (nothing is fetched when the file is viewed).
 *
 * @example
 * writeFileAtomic(join(out, 'report.html'), await buildRunReport(metrics));
 */
export async function buildRunReport(m: RunMetrics): Promise<string> {
  const o = m.options;
  const loss: ChartPoint[] = [
    ...m.steps.map((s) => ({ x: s.epoch, y: s.loss, series: 'running train loss' })),
    ...m.epochs.map((e) => ({ x: e.epoch, y: e.trainLoss, series: 'train loss (epoch mean)' })),
    ...m.epochs.map((e) => ({ x: e.epoch, y: e.testLoss, series: 'test loss' })),
  ];
  const layer = (key: 'mean' | 'variance' | 'omega' | 'tau') =>
    m.layerStats
      .filter((s) => typeof s[key] === 'number')
      .map((s) => ({ x: s.epoch, y: s[key] as number, series: String(s.layer) }));
  const hasWeights = m.layerStats.some((s) => typeof s.omega === 'number');
  const firstStep = m.layerStats.length ? m.layerStats[0].step : 0;
  const lastStep = m.layerStats.length ? m.layerStats[m.layerStats.length - 1].step : 0;
  const profile = (key: 'mean' | 'variance') =>
    m.layerStats
      .filter((s) => s.step === firstStep || s.step === lastStep)
      .map((s) => ({
        x: s.layer,
        y: s[key],
        series: s.step === firstStep ? `at step ${firstStep} (start)` : `at step ${lastStep} (end)`,
      }));
  const charts = await Promise.all([
    renderLineChart({
      title: 'Cross-entropy loss',
      xTitle: 'epoch',
      xIntegers: true,
      yTitle: 'loss',
      yScale: 'log',
      points: loss,
      styles: {
        'running train loss': { width: 1, opacity: 0.5 },
        'train loss (epoch mean)': { points: true },
        'test loss': { points: true, dash: [6, 3] },
      },
    }),
    renderLineChart({
      title: 'Test accuracy',
      xTitle: 'epoch',
      xIntegers: true,
      yTitle: 'accuracy (%)',
      points: m.epochs.map((e) => ({ x: e.epoch, y: 100 * e.testAccuracy, series: 'test accuracy' })),
      styles: { 'test accuracy': { points: true } },
    }),
    renderLineChart({
      title: 'Activation mean of each hidden layer during training',
      xTitle: 'epoch',
      yTitle: 'mean',
      points: layer('mean'),
      color: 'layers',
      xIntegers: true,
      refY: 0,
      styles: {},
    }),
    renderLineChart({
      title: 'Activation variance of each hidden layer during training',
      xTitle: 'epoch',
      yTitle: 'variance',
      yScale: 'auto',
      points: layer('variance'),
      color: 'layers',
      xIntegers: true,
      refY: 1,
    }),
    ...(hasWeights
      ? [
          renderLineChart({
            title: "ω = n·mean(w) of each hidden layer's weights during training",
            xTitle: 'epoch',
            yTitle: 'ω (mean over units)',
            points: layer('omega'),
            color: 'layers',
            xIntegers: true,
            refY: 0,
          }),
          renderLineChart({
            title: "τ = n·mean(w²) of each hidden layer's weights during training",
            xTitle: 'epoch',
            yTitle: 'τ (mean over units)',
            yScale: 'auto',
            points: layer('tau'),
            color: 'layers',
            xIntegers: true,
            refY: 1,
          }),
        ]
      : []),
    renderLineChart({
      title: 'Activation mean by depth',
      xTitle: 'hidden layer',
      xIntegers: true,
      yTitle: 'mean',
      points: profile('mean'),
      refY: 0,
      styles: Object.fromEntries(profile('mean').map((p) => [p.series, { points: true }])),
    }),
    renderLineChart({
      title: 'Activation variance by depth',
      xTitle: 'hidden layer',
      xIntegers: true,
      yTitle: 'variance',
      yScale: 'auto',
      points: profile('variance'),
      refY: 1,
      styles: Object.fromEntries(profile('variance').map((p) => [p.series, { points: true }])),
    }),
  ]);
  const last = m.epochs[m.epochs.length - 1];
  const best = m.epochs.reduce((a, e) => Math.max(a, e.testAccuracy), 0);
  const samples = m.epochs.reduce((a, e) => a + e.samplesPerSecond * e.seconds, 0);
  const trainSeconds = m.epochs.reduce((a, e) => a + e.seconds, 0);
  const shape = o.model === 'cnn' ? `CNN (2 conv blocks, hidden ${o.width})` : `${o.depth} × ${o.width}`;
  const title = `${shape} ${networkName(o.activation, o.dropout)} on MNIST`;
  const summary = last
    ? `Final test accuracy <b>${pct(last.testAccuracy)}</b> (best ${pct(best)}) after ${m.epochs.length} epoch${m.epochs.length === 1 ? '' : 's'}; ` +
      `${fmtNum(m.totalSeconds, 1)} s in all, ${Math.round(samples / Math.max(trainSeconds, 1e-9))} training samples/s; ` +
      `${m.parameters.toLocaleString('en-US')} parameters.`
    : 'No epoch has finished yet.';
  const d = m.diverged;
  const rows = m.epochs.map((e) => [
    e.epoch,
    fmtNum(e.trainLoss, 4),
    fmtNum(e.testLoss, 4),
    pct(e.testAccuracy),
    fmtNum(e.seconds, 1),
    Math.round(e.samplesPerSecond),
  ]);
  if (d)
    rows.push([
      d.epoch,
      d.split === 'train' ? `${d.loss} (diverged)` : '–',
      d.split === 'test' ? d.loss : '–',
      'not saved',
      '–',
      '–',
    ]);
  return page(
    title,
    `${d ? `<p class="warning">⚠ ${esc(divergedText(d, m.epochs.length))}</p>\n` : ''}<p>${summary}</p>
<p class="headline">${layerHeadline(m)}</p>
<div class="grid">${charts.map(figure).join('')}</div>
<p class="note">Layer statistics: the output of each hidden layer's activation (before dropout) on a fixed batch of
test images, in eval mode, over all units and images. The dashed lines mark mean 0 and variance 1, the fixed point of
the self-normalizing network, which holds at initialization without any normalization layer. Training moves the
weights away from the assumption behind that fixed point (ω = Σw ≈ 0, τ = Σw² ≈ 1 per unit, charted above where the
run recorded them), so the variances grow with the size of the steps: a little with small steps, a lot with large ones
(docs/TRAINING.md has measured examples). Measured by @selfnorm/nn's SelfNormalizationMonitor.</p>
<h2>Epochs</h2>
${table(['epoch', 'train loss', 'test loss', 'test accuracy', 'seconds', 'samples/s'], rows)}
${onnxSection(m)}
<h2>Settings</h2>
${table(
  ['setting', 'value'],
  Object.entries(o).map(([k, v]) => [k, String(v)]),
)}`,
  );
}

/**
 * Builds the comparison report (Figure 1 of Klambauer et al. 2017): training loss per epoch on a log
 * scale, SNN against ReLU + BatchNorm, one panel per depth with a shared y axis.
 *
 * @example
 * writeFileAtomic(join(out, 'report.html'), await buildCompareReport(metrics));
 */
export async function buildCompareReport(m: CompareMetrics): Promise<string> {
  const depths = [...new Set(m.runs.map((r) => r.depth))].sort((a, b) => a - b);
  const label = (a: string) => (a === 'selu' ? 'SNN (SELU)' : 'ReLU + BatchNorm');
  const all = m.runs
    .flatMap((r) => r.epochs.map((e) => e.trainLoss))
    .filter((y) => Number.isFinite(y) && y > 0);
  const yDomain: [number, number] | undefined = all.length ? [Math.min(...all), Math.max(...all)] : undefined;
  const charts = await Promise.all(
    depths.map((depth) =>
      renderLineChart({
        title: `${depth} hidden layers`,
        xTitle: 'epoch',
        yTitle: 'training loss',
        yScale: 'log',
        yDomain,
        width: 300,
        height: 240,
        order: ['SNN (SELU)', 'ReLU + BatchNorm'],
        points: m.runs
          .filter((r) => r.depth === depth)
          .flatMap((r) => r.epochs.map((e) => ({ x: e.epoch, y: e.trainLoss, series: label(r.activation) }))),
      }),
    ),
  );
  const o = m.options;
  const rows = m.runs.map((r) => {
    const e = r.epochs[r.epochs.length - 1];
    const warn = r.diverged ? ` ⚠ diverged in epoch ${r.diverged.epoch} (loss ${r.diverged.loss})` : '';
    return [
      r.depth,
      label(r.activation) + warn,
      fmtNum(e?.trainLoss ?? Number.NaN, 4),
      pct(e?.testAccuracy ?? Number.NaN),
      fmtNum(r.seconds, 1),
    ];
  });
  return page(
    'Figure 1: SNN vs ReLU + BatchNorm, training loss',
    `<p>Plain SGD (lr ${o.lr}, batch ${o.batchSize}), width ${o.width}, ${o.epochs} epochs on the first
${o.trainLimit.toLocaleString('en-US')} training images (test on ${o.testLimit.toLocaleString('en-US')}), seed ${o.seed},
SNN dropout ${o.dropout}. Training loss is the mean cross-entropy of each epoch's batches.
The paper used width 784, lr 1e-5 and 2000 epochs on all of MNIST; this is scaled down to run in minutes.</p>
<div class="grid three">${charts.map(figure).join('')}</div>
<h2>Final epoch</h2>
${table(['depth', 'network', 'train loss', 'test accuracy', 'seconds'], rows)}
<p class="note">Total ${fmtNum(m.totalSeconds, 1)} s.</p>`,
  );
}

/** The warning for a run that diverged: which epoch, which loss, what was kept. */
function divergedText(d: Divergence, saved: number): string {
  const what =
    d.split === 'train' ? `the training loss was ${d.loss} at step ${d.step}` : `the test loss was ${d.loss}`;
  const kept =
    saved > 0
      ? `checkpoint.safetensors holds epoch ${saved}, the last good one, and best.safetensors the best epoch`
      : 'no epoch had finished, so there is no checkpoint';
  return `The run diverged in epoch ${d.epoch}: ${what}. That epoch was not saved and is not in the charts; ${kept}.`;
}

/**
 * The sentence under the title: mean 0 / variance 1 is the state at initialization, and how far
 * training moved it (the ranges over all layers at the first and the last recorded step).
 */
function layerHeadline(m: RunMetrics): string {
  if (m.layerStats.length === 0) return 'No layer statistics were recorded.';
  const at = (step: number) => m.layerStats.filter((s) => s.step === step);
  const first = at(m.layerStats[0].step);
  const last = at(m.layerStats[m.layerStats.length - 1].step);
  const range = (xs: LayerStats[], k: 'mean' | 'variance') => {
    const v = xs.map((s) => s[k]);
    return `${fmtSig(Math.min(...v))} … ${fmtSig(Math.max(...v))}`;
  };
  const start =
    `<b>Mean 0 and variance 1 in every layer is the state at initialization</b> (step ${first[0].step}: ` +
    `mean ${range(first, 'mean')}, variance ${range(first, 'variance')}), with no normalization layer.`;
  if (last[0].step === first[0].step) return start;
  return (
    `${start} Training moves the weights off that fixed point, and the variances grow: at step ${last[0].step}, ` +
    `mean ${range(last, 'mean')}, variance ${range(last, 'variance')}.`
  );
}

const fmtSig = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; padding: 0 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
.grid.three { grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); }
figure { margin: 0; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; } .note { color: #555; max-width: 900px; }
.headline { font-size: 15px; max-width: 900px; border-left: 4px solid #4c78a8; padding-left: 10px; }
.warning { background: #fff3cd; border: 1px solid #e0b000; padding: 8px 12px; max-width: 900px; }
</style></head>
<body><h1>${esc(title)}</h1>
${body}
<p class="note">Made by @selfnorm/train. Charts rendered to SVG with Vega; this file needs no network.</p>
</body></html>
`;
}

const figure = (svg: string) => `<figure>${svg}</figure>`;

function table(head: string[], rows: (string | number)[][]): string {
  const tr = (cells: (string | number)[], tag: string) =>
    `<tr>${cells.map((c) => `<${tag}>${esc(String(c))}</${tag}>`).join('')}</tr>`;
  return `<table>${tr(head, 'th')}${rows.map((r) => tr(r, 'td')).join('')}</table>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)} %` : 'n/a');
const fmtNum = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** How to run the model.onnx a finished run writes, with the run's own input standardization. */
function onnxSection(m: RunMetrics): string {
  const input = m.input
    ? `(p − ${fmtNum(m.input.mean, 4)}) / ${fmtNum(m.input.std, 4)} for each raw pixel p in 0..255`
    : 'standardized as the run standardized its training images';
  const shape = m.options.model === 'cnn' ? '[batch, 1, 28, 28]' : '[batch, 784]';
  const one = m.options.model === 'cnn' ? '[1, 1, 28, 28]' : '[1, 784]';
  return `<h2>Serving the model</h2>
<p>When the run is done it writes <code>model.onnx</code> beside the checkpoint (<code>--no-onnx</code> skips it): the
network in eval mode (dropout off) for ONNX Runtime in Node, browsers or servers. Its input <code>input</code> is
${shape} float32 pixels, ${esc(input)}; its output <code>output</code> is [batch, 10] logits. In Node:</p>
<pre>const ort = require('onnxruntime-node');
const session = await ort.InferenceSession.create('model.onnx');
const { output } = await session.run({ input: new ort.Tensor('float32', pixels, ${one}) });</pre>`;
}
