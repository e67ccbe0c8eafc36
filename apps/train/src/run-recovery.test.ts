import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '@selfnorm/nn';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunMetrics } from './metrics.ts';
import { TRAIN_DEFAULTS, type TrainOptions } from './options.ts';
import type { ProgressSink } from './progress.ts';
import { resumeRun, trainRun } from './run.ts';
import { atomicWriter, RUN_FILES, type WriteFile } from './run-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'train-recovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function quiet(writeFile?: WriteFile) {
  const lines: string[] = [];
  const io = {
    log: (l: string) => lines.push(l),
    progressOut: { write: () => true, isTTY: false } as ProgressSink,
    writeFile,
  };
  return { io, lines };
}

function tiny(out: string, over: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...TRAIN_DEFAULTS,
    depth: 2,
    width: 8,
    epochs: 2,
    trainLimit: 200,
    testLimit: 50,
    statsEvery: 4,
    batchSize: 32,
    out,
    ...over,
  };
}

const file = (dir: string, f: string) => join(dir, f);
const st = (dir: string, f: string) => loadSafetensors(readFileSync(file(dir, f)));
const metricsOf = (dir: string) =>
  JSON.parse(readFileSync(file(dir, RUN_FILES.metrics), 'utf8')) as RunMetrics;
/** What two runs must agree on (wall times differ). */
const results = (m: RunMetrics) => ({
  epochs: m.epochs.map(({ epoch, trainLoss, testLoss, testAccuracy }) => [
    epoch,
    trainLoss,
    testLoss,
    testAccuracy,
  ]),
  steps: m.steps,
  layerStats: m.layerStats,
});
function expectSameTensors(a: string, b: string, f: string) {
  const ta = st(a, f).tensors;
  const tb = st(b, f).tensors;
  expect(Object.keys(tb).sort(), f).toEqual(Object.keys(ta).sort());
  for (const k of Object.keys(ta)) expect([...tb[k].data], `${f} ${k}`).toEqual([...ta[k].data]);
}

/** A writer that dies at its `n`-th call (1-based), as a kill before that file's rename would. */
function dyingWriter(n: number): { write: WriteFile; calls: string[] } {
  const calls: string[] = [];
  const write: WriteFile = (path, data) => {
    calls.push(path);
    if (calls.length === n) throw new Error('killed');
    atomicWriter(path, data);
  };
  return { write, calls };
}

describe('a run that diverges', () => {
  // The recipe (--optimizer sgd --lr 0.1 --momentum 0.98) scaled down: it goes NaN in epoch 2 (lr 0.4 with
  // the dropout masks of nn's one mask protocol; 0.5 now diverges within epoch 1).
  const diverging = { depth: 4, width: 16, epochs: 3, trainLimit: 300, testLimit: 100 } as const;
  const sgd = { optimizer: 'sgd', lr: 0.4, momentum: 0.98, schedule: 'constant' } as const;

  it('stops at the first non-finite loss, keeps the last good checkpoint and the best weights, says so', async () => {
    const out = join(root, 'diverged');
    const { io, lines } = quiet();
    const r = await trainRun(tiny(out, { ...diverging, ...sgd }), io);
    expect(r.status).toBe('diverged');
    expect(r.metrics.diverged).toMatchObject({ epoch: 2, loss: 'NaN', split: 'train' });
    // The checkpoint is epoch 1's, with finite weights only; best.safetensors holds epoch 1 too.
    const ckpt = st(out, RUN_FILES.checkpoint);
    expect(ckpt.metadata.epoch).toBe('1');
    for (const [k, t] of Object.entries(ckpt.tensors)) expect(t.data.every(Number.isFinite), k).toBe(true);
    expect(st(out, RUN_FILES.best).metadata.epoch).toBe('1');
    const best = st(out, RUN_FILES.best).tensors;
    expect(Object.keys(best).length).toBeGreaterThan(0);
    for (const [k, t] of Object.entries(best)) expect([...t.data], k).toEqual([...ckpt.tensors[k].data]);
    const last = lines[lines.length - 1];
    expect(last).toContain('stopped without saving epoch 2');
    expect(last).toContain(`The last good checkpoint, ${out}/checkpoint.safetensors (epoch 1), is kept`);
    expect(last).toContain(`${out}/best.safetensors (epoch 1, test accuracy`);
    expect(last).toContain('smaller --lr (this one used 0.4)');
    // metrics.json and the report record the divergence; a resume, which would repeat it, is refused.
    expect(metricsOf(out).diverged).toMatchObject({ epoch: 2, loss: 'NaN' });
    expect(metricsOf(out).epochs.map((e) => e.epoch)).toEqual([1]);
    expect(readFileSync(file(out, RUN_FILES.report), 'utf8')).toContain('diverged in epoch 2');
    await expect(resumeRun(out, undefined, quiet().io)).rejects.toThrow(
      /this run diverged in epoch 2 \(the training loss was NaN at step \d+\); a resume would repeat .* try 0\.04\.$/,
    );
  });

  it('in its first epoch leaves no checkpoint and says so', async () => {
    const out = join(root, 'diverged-first');
    const { io, lines } = quiet();
    const r = await trainRun(tiny(out, { ...diverging, ...sgd, lr: 1.5, momentum: 0.9 }), io);
    expect(r.status).toBe('diverged');
    expect(r.metrics.diverged?.epoch).toBe(1);
    expect(existsSync(file(out, RUN_FILES.checkpoint))).toBe(false);
    expect(lines[lines.length - 1]).toContain('No epoch had finished, so there is no checkpoint');
    await expect(resumeRun(out, undefined, quiet().io)).rejects.toThrow(/this run diverged in epoch 1 /);
  });
});

describe('a run folder after a crash', () => {
  it('agrees with an uninterrupted run once resumed, whichever write the crash hit', async () => {
    const straight = join(root, 'crash-straight');
    const counted = dyingWriter(Number.POSITIVE_INFINITY);
    await trainRun(tiny(straight), quiet(counted.write).io);
    // .gitignore, config.json, then per epoch: checkpoint, best (if better), metrics, report.
    const names = counted.calls.map((p) => p.slice(straight.length + 1));
    expect(names.slice(0, 3)).toEqual([RUN_FILES.gitignore, RUN_FILES.config, RUN_FILES.checkpoint]);
    for (let n = 3; n <= names.length; n++) {
      const dir = join(root, `crash-at-${n}`);
      await expect(trainRun(tiny(dir), quiet(dyingWriter(n).write).io), names[n - 1]).rejects.toThrow(
        `cannot write ${dir}/${names[n - 1]}: killed.`,
      );
      const { io, lines } = quiet();
      const r = await resumeRun(dir, undefined, io);
      expect(r.status).toBe('done');
      if (n === 3) expect(lines[0]).toMatch(/has no checkpoint yet .* training it from the start/);
      expectSameTensors(straight, dir, RUN_FILES.checkpoint);
      expectSameTensors(straight, dir, RUN_FILES.best);
      expect(results(metricsOf(dir)), `crash at write ${n} (${names[n - 1]})`).toEqual(
        results(metricsOf(straight)),
      );
      expect(results(JSON.parse(st(dir, RUN_FILES.checkpoint).metadata.metrics))).toEqual(
        results(metricsOf(dir)),
      );
      expect(readFileSync(file(dir, RUN_FILES.report), 'utf8')).toContain('<td>2</td>');
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  }, 60_000);

  it('rebuilds metrics.json from the checkpoint when the crash came between the two', async () => {
    const dir = join(root, 'behind');
    await trainRun(tiny(dir), quiet().io);
    // The state a kill between the checkpoint's rename and the metrics write leaves: metrics one epoch behind.
    const m = metricsOf(dir);
    writeFileSync(file(dir, RUN_FILES.metrics), JSON.stringify({ ...m, epochs: m.epochs.slice(0, 1) }));
    const { io, lines } = quiet();
    await resumeRun(dir, 3, io);
    expect(lines).toContain(
      'rebuilt metrics.json, report.html from the checkpoint (an interrupted save left them behind)',
    );
    expect(metricsOf(dir).epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });

  it('loses its temporary files on resume, except those of a live process', async () => {
    const dir = join(root, 'temp');
    await trainRun(tiny(dir, { epochs: 1 }), quiet().io);
    const dead = '.checkpoint.safetensors.999999999.3.tmp';
    const live = `.metrics.json.${process.ppid}.0.tmp`;
    writeFileSync(file(dir, dead), new Uint8Array(1000));
    writeFileSync(file(dir, live), '{');
    const { io, lines } = quiet();
    await resumeRun(dir, 2, io);
    expect(lines[0]).toBe(`removed 1 temporary file(s) of an interrupted write: ${dead}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([live]);
  });
});

describe('write errors and corrupt files', () => {
  it('ENOSPC names the file and says the last checkpoint is intact', async () => {
    const dir = join(root, 'enospc');
    let checkpoints = 0;
    const write: WriteFile = (path, data) => {
      if (path.endsWith(RUN_FILES.checkpoint) && ++checkpoints === 2) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      atomicWriter(path, data);
    };
    const ckpt = `${dir}/checkpoint.safetensors`;
    await expect(trainRun(tiny(dir), quiet(write).io)).rejects.toThrow(
      `cannot write ${ckpt}: ENOSPC: no space left on device, write. The last checkpoint, ${ckpt} (epoch 1), ` +
        `is intact; free some space (or fix the folder), then continue with: npx -y pnpm@12.4.2 train --resume ${dir}`,
    );
    expect(st(dir, RUN_FILES.checkpoint).metadata.epoch).toBe('1');
  });

  it('a corrupt checkpoint is refused with a message naming the file', async () => {
    const dir = join(root, 'corrupt');
    await trainRun(tiny(dir, { epochs: 1 }), quiet().io);
    const bytes = readFileSync(file(dir, RUN_FILES.checkpoint));
    bytes.fill(0xff, 8, 40); // inside the JSON header
    writeFileSync(file(dir, RUN_FILES.checkpoint), bytes);
    await expect(resumeRun(dir, 2, quiet().io)).rejects.toThrow(
      `${dir}/checkpoint.safetensors is corrupt or not from this run: `,
    );
    // A safetensors file that is not a run's checkpoint (no epoch in its metadata).
    const other = join(root, 'other');
    await trainRun(tiny(other, { epochs: 1 }), quiet().io);
    writeFileSync(file(other, RUN_FILES.checkpoint), readFileSync(file(other, RUN_FILES.best)).subarray(0));
    const best = st(other, RUN_FILES.checkpoint).metadata;
    expect(best.step).toBeUndefined();
    await expect(resumeRun(other, 2, quiet().io)).rejects.toThrow(
      `${other}/checkpoint.safetensors is corrupt or not from this run: its metadata 'step' must be a whole number; got undefined`,
    );
  });
});
