/** Small DOM renderers: the class probabilities of each network, and the layer statistics table. */
import type { Moments } from './arena.ts';
import { NET_COLORS } from './charts.ts';
import { ACTIVATION_LABELS, type Activation } from './model.ts';

/**
 * One row of ten bars per network; the row's `data-probs` holds the probabilities (JSON) and its text
 * names the predicted digit.
 */
export function renderPredictions(root: HTMLElement, nets: readonly Activation[], probs: number[][]): void {
  const rows = nets.map((net, k) => {
    const p = probs[k];
    const best = p.indexOf(Math.max(...p));
    const row = document.createElement('div');
    row.className = 'prediction';
    row.setAttribute('data-testid', `prediction-${net}`);
    row.dataset.probs = JSON.stringify(p);
    row.dataset.digit = String(best);
    const title = document.createElement('p');
    title.textContent = `${ACTIVATION_LABELS[net]}: ${best} (${(100 * p[best]).toFixed(1)} %)`;
    const bars = document.createElement('div');
    bars.className = 'bars';
    bars.setAttribute('aria-hidden', 'true');
    p.forEach((v, d) => {
      const bar = document.createElement('span');
      bar.style.setProperty('--h', `${Math.max(2, 100 * v)}%`);
      bar.style.background = d === best ? NET_COLORS[net] : '#adb5bd';
      bar.title = `${d}: ${(100 * v).toFixed(1)} %`;
      bar.textContent = String(d);
      bars.append(bar);
    });
    row.append(title, bars);
    return row;
  });
  root.replaceChildren(...rows);
}

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(3));

/**
 * The per-layer activation mean and variance of each network at step 0 and now; each row carries
 * data-net, data-layer, data-mean-start, data-variance-start (for the browser test).
 */
export function renderLayerTable(
  root: HTMLElement,
  nets: readonly Activation[],
  start: Moments[][] | null,
  now: Moments[][] | null,
): void {
  const rows: HTMLTableRowElement[] = [];
  nets.forEach((net, k) => {
    const layers = start?.[k] ?? [];
    layers.forEach((s, i) => {
      const n = now?.[k]?.[i];
      const tr = document.createElement('tr');
      Object.assign(tr.dataset, {
        net,
        layer: String(i + 1),
        meanStart: String(s.mean),
        varianceStart: String(s.variance),
      });
      const sat = n?.saturated;
      tr.innerHTML = `<th scope="row">${ACTIVATION_LABELS[net]} ${i + 1}</th><td>${fmt(s.mean)}</td><td>${fmt(s.variance)}</td><td>${fmt(n?.mean)}</td><td>${fmt(n?.variance)}</td><td>${sat == null ? '–' : `${(100 * sat).toFixed(1)} %`}</td><td>${n === undefined ? '–' : n.outOfBand ? 'outside' : 'inside'}</td>`;
      rows.push(tr);
    });
  });
  root.querySelector('tbody')!.replaceChildren(...rows);
}
