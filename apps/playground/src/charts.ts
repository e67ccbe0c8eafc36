/**
 * The live charts (uPlot): loss and test accuracy per network over steps, each layer's activation mean
 * and variance over steps, and the layer-by-depth views at step 0 and now, with the fixed point (0, 1)
 * drawn. Data arrive every step; the charts redraw at most once per animation frame.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Moments } from './arena.ts';
import { ACTIVATION_LABELS, type Activation } from './model.ts';

/** One colour per recipe, the same in every chart and in the predictions. */
export const NET_COLORS: Readonly<Record<Activation, string>> = {
  selu: '#d6336c',
  relu: '#1c7ed6',
  'relu-bn': '#2f9e44',
};

/** A colour along the depth, from shallow (light) to deep (dark). */
function depthColor(i: number, n: number): string {
  const t = n <= 1 ? 0 : i / (n - 1);
  return `hsl(${330 - 60 * t} 70% ${70 - 40 * t}%)`;
}

/** A horizontal reference line at `y` drawn in every chart of a quantity with a target (0 or 1). */
function targetPlugin(y: number, label: string): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        const py = u.valToPos(y, 'y', true);
        if (!(py >= bbox.top && py <= bbox.top + bbox.height)) return;
        ctx.save();
        ctx.strokeStyle = '#868e96';
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(bbox.left, py);
        ctx.lineTo(bbox.left + bbox.width, py);
        ctx.stroke();
        ctx.fillStyle = '#495057';
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.fillText(label, bbox.left + 4 * devicePixelRatio, py - 4 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}

interface Chart {
  plot: uPlot | null;
  el: HTMLElement;
  title: string;
  xLabel: string;
  target: number | null;
  yRange?: [number, number];
  series: uPlot.Series[];
  data: uPlot.AlignedData;
}

/** Everything the charts show, kept here and drawn on the next animation frame. */
export class Charts {
  readonly #charts: Chart[] = [];
  #frame = 0;
  #steps: number[] = [];
  #losses: number[][] = [];
  #accSteps: number[] = [];
  #acc: number[][] = [];
  #momentSteps: number[] = [];
  /** [network][layer][report]. */
  #means: number[][][] = [];
  #vars: number[][][] = [];
  #observer: ResizeObserver;
  #start: Moments[][] | null = null;
  #now: Moments[][] | null = null;
  /** Which network the per-layer charts over steps follow. */
  #watched = 0;

  constructor(
    readonly root: HTMLElement,
    readonly nets: Activation[],
    readonly depth: number,
  ) {
    root.replaceChildren();
    const perNet = (suffix = '') =>
      nets.map((n) => ({
        label: `${ACTIVATION_LABELS[n]}${suffix}`,
        stroke: NET_COLORS[n],
        width: 2,
        points: { show: false },
      }));
    const layers = Array.from({ length: depth }, (_, i) => ({
      label: `layer ${i + 1}`,
      stroke: depthColor(i, depth),
      width: 1.5,
      points: { show: false },
    }));
    const byDepth = nets.flatMap((n) => [
      { label: `${ACTIVATION_LABELS[n]} at step 0`, stroke: NET_COLORS[n], width: 1.5, dash: [4, 4] },
      { label: `${ACTIVATION_LABELS[n]} now`, stroke: NET_COLORS[n], width: 2.5 },
    ]);
    this.#add('Training loss (cross-entropy)', 'step', null, perNet());
    this.#add('Test accuracy (first 1,000 test images)', 'step', null, perNet(), [0, 1]);
    this.#add('Activation mean per layer, over steps', 'step', 0, layers);
    this.#add('Activation variance per layer, over steps', 'step', 1, layers);
    this.#add('Activation mean by depth: step 0 and now', 'layer', 0, byDepth);
    this.#add('Activation variance by depth: step 0 and now', 'layer', 1, byDepth);
    this.#observer = new ResizeObserver(() => this.#resize());
    this.#observer.observe(root);
  }

  #add(
    title: string,
    xLabel: string,
    target: number | null,
    series: uPlot.Series[],
    yRange?: [number, number],
  ) {
    const el = document.createElement('figure');
    el.className = 'chart';
    el.setAttribute('aria-label', title);
    this.root.append(el);
    const data = [[], ...series.map(() => [])] as unknown as uPlot.AlignedData;
    this.#charts.push({ plot: null, el, title, xLabel, target, yRange, series, data });
  }

  #make(c: Chart): uPlot {
    const width = Math.max(c.el.clientWidth, 200);
    const plugins = c.target === null ? [] : [targetPlugin(c.target, `target ${c.target}`)];
    const opts: uPlot.Options = {
      title: c.title,
      width,
      height: Math.round(Math.min(260, width * 0.6)),
      plugins,
      scales: { x: { time: false }, y: c.yRange ? { range: c.yRange } : {} },
      axes: [{ label: c.xLabel }, {}],
      legend: { live: false },
      series: [{ label: c.xLabel }, ...c.series],
    };
    return new uPlot(opts, c.data, c.el);
  }

  #resize(): void {
    for (const c of this.#charts) {
      if (!c.plot) continue;
      const width = Math.max(c.el.clientWidth, 200);
      if (Math.abs(width - c.plot.width) > 2)
        c.plot.setSize({ width, height: Math.round(Math.min(260, width * 0.6)) });
    }
  }

  /** Records one step's losses, and the training moments when the worker sent them. */
  addStep(step: number, losses: number[], layers: Moments[][] | null): void {
    this.#steps.push(step);
    losses.forEach((l, k) => {
      this.#losses[k] ??= [];
      this.#losses[k].push(l);
    });
    if (layers) {
      this.#momentSteps.push(step);
      for (const [k, net] of layers.entries())
        for (const [i, m] of net.entries()) {
          ((this.#means[k] ??= [])[i] ??= []).push(m.mean);
          ((this.#vars[k] ??= [])[i] ??= []).push(m.variance);
        }
    }
    this.#schedule();
  }

  /** Makes the per-layer charts over steps follow network `k`. */
  watch(k: number): void {
    this.#watched = k;
    this.#schedule();
  }

  /** Records the live test accuracy of every network. */
  addAccuracy(step: number, accuracy: number[]): void {
    this.#accSteps.push(step);
    accuracy.forEach((a, k) => {
      (this.#acc[k] ??= []).push(a);
    });
    this.#schedule();
  }

  /** Records a layer-by-depth view (the first one is kept as "step 0"). */
  setProbe(step: number, layers: Moments[][]): void {
    if (step === 0 || this.#start === null) this.#start = layers;
    this.#now = layers;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.#draw());
  }

  #draw(): void {
    this.#frame = 0;
    const [loss, acc, mean, variance, meanDepth, varDepth] = this.#charts;
    loss.data = [this.#steps, ...this.nets.map((_, k) => this.#losses[k] ?? [])] as uPlot.AlignedData;
    acc.data = [this.#accSteps, ...this.nets.map((_, k) => this.#acc[k] ?? [])] as uPlot.AlignedData;
    const layerIdx = Array.from({ length: this.depth }, (_, i) => i);
    const w = this.#watched;
    mean.data = [this.#momentSteps, ...layerIdx.map((i) => this.#means[w]?.[i] ?? [])] as uPlot.AlignedData;
    variance.data = [
      this.#momentSteps,
      ...layerIdx.map((i) => this.#vars[w]?.[i] ?? []),
    ] as uPlot.AlignedData;
    const depthXs = layerIdx.map((i) => i + 1);
    const pick = (views: Moments[][] | null, k: number, f: (m: Moments) => number) =>
      layerIdx.map((i) => {
        const m = views?.[k]?.[i];
        return m ? f(m) : null;
      });
    for (const [chart, f] of [
      [meanDepth, (m: Moments) => m.mean],
      [varDepth, (m: Moments) => m.variance],
    ] as const) {
      chart.data = [
        depthXs,
        ...this.nets.flatMap((_, k) => [pick(this.#start, k, f), pick(this.#now, k, f)]),
      ] as uPlot.AlignedData;
    }
    for (const c of this.#charts) {
      if (c.plot) c.plot.setData(c.data);
      else if (c.el.isConnected) c.plot = this.#make(c);
    }
  }

  /** Removes the charts (before the networks are rebuilt with another depth). */
  destroy(): void {
    cancelAnimationFrame(this.#frame);
    this.#observer.disconnect();
    for (const c of this.#charts) c.plot?.destroy();
    this.root.replaceChildren();
  }
}
