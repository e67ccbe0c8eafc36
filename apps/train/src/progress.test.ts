import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, type ProgressSink } from './progress.ts';

function sink(isTTY: boolean): ProgressSink & { text: string } {
  return {
    text: '',
    isTTY,
    columns: 100,
    write(s: string) {
      this.text += s;
    },
  };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ProgressBar', () => {
  it('prints plain lines at each quarter without control characters when not a TTY', () => {
    const out = sink(false);
    const c = clock();
    const bar = new ProgressBar({ label: 'epoch 1/2', total: 1000, out, now: c.now });
    for (let done = 100; done <= 1000; done += 100) {
      c.advance(100);
      bar.update(done, 0.5);
    }
    bar.finish('epoch 1/2 done');
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toEqual([
      'epoch 1/2 30% 300/1000  loss 0.5000  1000 samples/s',
      'epoch 1/2 50% 500/1000  loss 0.5000  1000 samples/s',
      'epoch 1/2 80% 800/1000  loss 0.5000  1000 samples/s',
      'epoch 1/2 done',
    ]);
    expect(out.text.includes('\r') || out.text.includes('\x1b')).toBe(false);
  });

  it('redraws one line in place on a TTY, throttled, with samples/s and an eta', () => {
    const out = sink(true);
    const c = clock();
    const bar = new ProgressBar({ label: 'epoch 1/1', total: 1000, out, now: c.now, minIntervalMs: 100 });
    c.advance(500);
    bar.update(500, 1.25);
    c.advance(10);
    bar.update(510, 1.2); // within 100 ms: skipped
    expect(out.text.split('\r').length - 1).toBe(1);
    expect(out.text).toContain('500/1000  loss 1.2500  1000 samples/s eta 1s');
    expect(out.text).toMatch(/\[=+> +\]/);
    c.advance(500);
    bar.update(1000, 1.0); // the end is always drawn
    bar.finish('summary');
    expect(out.text.endsWith('\r\x1b[Ksummary\n')).toBe(true);
    expect(out.text).toContain('1000/1000');
  });

  it('refuses an empty epoch', () => {
    expect(() => new ProgressBar({ label: 'x', total: 0, out: sink(false) })).toThrow(/total must be > 0/);
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect([formatDuration(42.4), formatDuration(185), formatDuration(3720)]).toEqual([
      '42s',
      '3m05s',
      '1h02m',
    ]);
  });
});
