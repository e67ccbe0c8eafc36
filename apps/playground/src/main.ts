/**
 * The playground page: wires the controls, the charts, the drawing pad and the weights buttons to the
 * training worker. Test hook: `?autostart&steps=N` trains N steps, evaluates on the whole test split and
 * shows `done` in [data-testid=status].
 */
import type { Moments } from './arena.ts';
import { Charts, NET_COLORS } from './charts.ts';
import { type PageParams, parseParams, type TrainConfig } from './config.ts';
import { readControls, writeControls } from './controls.ts';
import { DrawPad } from './draw-pad.ts';
import { ACTIVATION_LABELS } from './model.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { renderLayerTable, renderPredictions } from './render.ts';
import './style.css';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const errorBox = $('error');

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

let params: PageParams;
try {
  params = parseParams(location.search);
} catch (e) {
  showError(`Bad address: ${(e as Error).message}. Using the defaults.`);
  params = parseParams('');
}
writeControls(form, params.config);

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
let config: TrainConfig = params.config;
let charts: Charts | null = null;
let state = 'loading';
let autostart = params.autostart;
let step = 0;
let probes: { start: Moments[][] | null; now: Moments[][] | null } = { start: null, now: null };
const lastLoss: number[] = [];
const lastAcc: (number | null)[] = [];

function netSelect(select: HTMLSelectElement): void {
  const keep = select.value;
  select.replaceChildren(...config.nets.map((n, k) => new Option(ACTIVATION_LABELS[n], String(k))));
  select.value = keep !== '' && Number(keep) < config.nets.length ? keep : '0';
}

function reset(next: TrainConfig): void {
  config = next;
  step = 0;
  probes = { start: null, now: null };
  lastLoss.length = 0;
  lastAcc.length = 0;
  charts?.destroy();
  charts = new Charts($('charts'), config.nets, config.depth);
  netSelect($<HTMLSelectElement>('watched'));
  netSelect($<HTMLSelectElement>('weights-net'));
  $('step').textContent = '0';
  $('test-accuracy').textContent = '–';
  $('accuracy-note').textContent = '';
  renderAccuracy();
  send({ type: 'reset', config, dataUrl: new URL('data/', document.baseURI).href });
}

function renderAccuracy(): void {
  const rows = config.nets.map((n, k) => {
    const tr = document.createElement('tr');
    const acc = lastAcc[k];
    tr.innerHTML = `<th scope="row"><span class="swatch" style="background:${NET_COLORS[n]}"></span>${ACTIVATION_LABELS[n]}</th><td data-testid="test-accuracy-${n}">${acc == null ? '–' : `${(100 * acc).toFixed(2)} %`}</td><td>${lastLoss[k] === undefined ? '–' : lastLoss[k].toFixed(3)}</td>`;
    return tr;
  });
  $('accuracy-table')
    .querySelector('tbody')!
    .replaceChildren(...rows);
}

function setState(next: string): void {
  state = next;
  $('status').textContent = next;
  $('start').textContent = next === 'training' ? 'Pause' : 'Start';
  $<HTMLButtonElement>('start').disabled = next === 'loading' || next === 'evaluating';
}

let predictId = 0;
let pending: Float32Array | null = null;
let inFlight = false;
let current: Float32Array | null = null;
/** `data-settled` on #predictions: "true" once what is shown answers the last drawing (nothing in flight). */
function markSettled(): void {
  $('predictions').dataset.settled = String(!inFlight && pending === null);
}
function predict(pixels: Float32Array | null): void {
  current = pixels;
  if (pixels === null) {
    $('predictions').replaceChildren();
    markSettled();
    return;
  }
  if (inFlight) {
    pending = pixels;
    markSettled();
    return;
  }
  inFlight = true;
  markSettled();
  send({ type: 'predict', pixels: pixels.slice(), id: ++predictId });
}
const pad = new DrawPad($<HTMLCanvasElement>('pad'), predict);

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'threads':
      $('threads').textContent = m.isolated
        ? `${m.threads} thread${m.threads === 1 ? '' : 's'} (cross-origin isolated: the CPU device's worker threads are on)`
        : '1 thread: this page is not cross-origin isolated (no COOP/COEP headers), so the worker threads are off';
      $('device').textContent = m.simd
        ? 'CPU, WebAssembly SIMD kernels'
        : 'CPU, plain TypeScript kernels (this browser has no WebAssembly SIMD)';
      return;
    case 'data':
      $('data-progress').textContent =
        `MNIST: ${m.train.toLocaleString('en')} / ${m.trainTotal.toLocaleString('en')} training and ${m.test.toLocaleString('en')} / ${m.testTotal.toLocaleString('en')} test images loaded`;
      return;
    case 'state':
      setState(m.state);
      if (m.state === 'ready' && current) predict(current);
      if (m.state === 'ready' && autostart) {
        autostart = false;
        send({ type: 'start', untilStep: params.steps });
      }
      return;
    case 'step':
      step = m.step;
      $('step').textContent = String(step);
      $('speed').textContent = `${Math.round(m.samplesPerSecond)} samples/s per network`;
      m.losses.forEach((l, k) => {
        lastLoss[k] = l;
      });
      charts?.addStep(m.step, m.losses, m.layers);
      return;
    case 'accuracy': {
      m.accuracy.forEach((a, k) => {
        lastAcc[k] = a;
      });
      charts?.addAccuracy(m.step, m.accuracy);
      const snn = Math.max(0, config.nets.indexOf('selu'));
      $('test-accuracy').textContent = `${(100 * m.accuracy[snn]).toFixed(2)} %`;
      $('accuracy-note').textContent =
        `(${m.full ? 'all' : 'first'} ${m.images.toLocaleString('en')} test images, step ${m.step}${config.nets.includes('selu') ? '' : `; ${ACTIVATION_LABELS[config.nets[0]]}`})`;
      renderAccuracy();
      if (current) predict(current);
      return;
    }
    case 'probe':
      if (m.step === 0 || probes.start === null) probes.start = m.layers;
      probes.now = m.layers;
      charts?.setProbe(m.step, m.layers);
      renderLayerTable($('layer-table'), config.nets, probes.start, probes.now);
      return;
    case 'prediction':
      inFlight = false;
      renderPredictions($('predictions'), config.nets, m.probs);
      if (pending) {
        const p = pending;
        pending = null;
        predict(p);
      } else markSettled();
      return;
    case 'sample':
      pad.show(m.pixels);
      predict(m.pixels);
      return;
    case 'weights': {
      const net = config.nets[m.net];
      const a = document.createElement('a');
      a.href = URL.createObjectURL(
        new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
      );
      a.download = `selfnorm-${net}-depth${config.depth}-width${config.width}-step${step}.safetensors`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      $('weights-status').textContent =
        `Downloaded ${a.download} (${m.bytes.length.toLocaleString('en')} bytes).`;
      return;
    }
    case 'loaded':
      $('weights-status').textContent =
        `Loaded ${m.name} into ${ACTIVATION_LABELS[config.nets[m.net]]} (depth ${m.depth}, width ${m.width}).`;
      if (current) predict(current);
      return;
    case 'error':
      inFlight = false;
      showError(m.message);
      return;
  }
};
worker.onerror = (e) => showError(`The training worker failed: ${e.message}`);

$('start').addEventListener('click', () => {
  if (state === 'training') send({ type: 'pause' });
  else if (state === 'ready' || state === 'paused' || state === 'done')
    send({ type: 'start', untilStep: null });
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  try {
    errorBox.hidden = true;
    reset(readControls(form));
  } catch (err) {
    showError((err as Error).message);
  }
});
$('clear').addEventListener('click', () => pad.clear());
let sampleIndex = 0;
$('sample').addEventListener('click', () => send({ type: 'sample', index: sampleIndex++ }));
$<HTMLSelectElement>('watched').addEventListener('change', (e) => {
  charts?.watch(Number((e.target as HTMLSelectElement).value));
});
$('download').addEventListener('click', () => {
  send({ type: 'save', net: Number($<HTMLSelectElement>('weights-net').value) });
});
$<HTMLInputElement>('upload').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  send({ type: 'load', net: Number($<HTMLSelectElement>('weights-net').value), bytes, name: file.name }, [
    bytes.buffer,
  ]);
  input.value = '';
});

reset(config);
