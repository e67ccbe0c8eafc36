/** Where progress goes: a stream (process.stderr) or a test double. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of a {@link ProgressBar}. */
export interface ProgressOptions {
  /** Shown first on the line, e.g. "epoch 3/10". */
  label: string;
  /** Samples in the whole epoch. */
  total: number;
  out?: ProgressSink;
  /** Milliseconds clock (injectable for tests); defaults to performance.now. */
  now?: () => number;
  /** Least time between two redraws on a terminal. */
  minIntervalMs?: number;
  /** Without a terminal, one plain line each time this fraction of the epoch is passed. */
  plainEvery?: number;
}

/**
 * A per-epoch progress bar with the running loss and throughput (samples/s). On a terminal it redraws
 * one line in place (at most every `minIntervalMs`); otherwise (CI, a pipe, a log file) it prints a
 * plain line every `plainEvery` of the epoch, without control characters.
 *
 * @example
 * const bar = new ProgressBar({ label: 'epoch 1/4', total: 60000 });
 * bar.update(12800, 0.31);
 * bar.finish('epoch 1/4  train loss 0.2874  test loss 0.1402  test acc 95.81 %');
 */
export class ProgressBar {
  private readonly out: ProgressSink;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private nextPlain: number;

  constructor(private readonly opts: ProgressOptions) {
    if (!(opts.total > 0)) throw new RangeError(`ProgressBar: total must be > 0; got ${opts.total}.`);
    this.out = opts.out ?? process.stderr;
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    this.nextPlain = opts.plainEvery ?? 0.25;
  }

  /** Samples per second since the bar was created. */
  rate(done: number): number {
    const s = (this.now() - this.start) / 1000;
    return s > 0 ? done / s : 0;
  }

  /** Reports that `done` samples of the epoch are through, with the running loss. */
  update(done: number, runningLoss: number): void {
    const { total, label } = this.opts;
    const frac = Math.min(done / total, 1);
    const rate = this.rate(done);
    const stats = `loss ${runningLoss.toFixed(4)}  ${Math.round(rate)} samples/s`;
    if (this.out.isTTY) {
      const t = this.now();
      if (t - this.lastDraw < (this.opts.minIntervalMs ?? 100) && done < total) return;
      this.lastDraw = t;
      const eta = rate > 0 ? ` eta ${formatDuration((total - done) / rate)}` : '';
      const count = `${done}/${total}`;
      const fixed = `${label} [] ${count}  ${stats}${eta}`;
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - fixed.length - 1));
      const fill = Math.round(frac * width);
      const bar = '='.repeat(fill) + (fill < width ? '>' : '') + ' '.repeat(Math.max(0, width - fill - 1));
      this.out.write(`\r${label} [${bar}] ${count}  ${stats}${eta}\x1b[K`);
      return;
    }
    const step = this.opts.plainEvery ?? 0.25;
    if (frac + 1e-12 >= this.nextPlain && frac < 1) {
      while (this.nextPlain <= frac + 1e-12) this.nextPlain += step;
      this.out.write(`${label} ${Math.floor(frac * 100)}% ${done}/${total}  ${stats}\n`);
    }
  }

  /**
   * Ends the bar: on a terminal it clears the bar's line. With `line`, also prints it to the bar's
   * stream; the app prints epoch summaries to stdout itself (so `train > log` keeps them).
   */
  finish(line?: string): void {
    if (this.out.isTTY) this.out.write('\r\x1b[K');
    if (line !== undefined) this.out.write(`${line}\n`);
  }
}

/**
 * Formats seconds as "42s", "3m05s" or "1h02m".
 *
 * @example
 * formatDuration(185); // '3m05s'
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
