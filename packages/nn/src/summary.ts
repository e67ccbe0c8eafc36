import { type DType, noGrad, type Tensor, zeros } from '@selfnorm/tensor';
import type { HookHandle, Module } from './module';
import { preview } from './serialize/preview';

/** One module of a `summary`. */
export interface SummaryRow {
  /** Dotted name in the model (`blocks.3.linear`). */
  name: string;
  /** Class name. */
  type: string;
  /** Depth below the model (1 for its direct children). */
  depth: number;
  /** Shape of the module's output in the traced pass; null if it did not run. */
  outputShape: number[] | null;
  /** Number of values in the module's own parameters (not its children's). */
  parameters: number;
  /** 'trainable' (all own parameters require grad), 'frozen' (none does), 'partly', or '' without any. */
  trainable: 'trainable' | 'frozen' | 'partly' | '';
}

/** What `summary` returns: one row per module below the model, totals, and the table as text. */
export interface ModelSummary {
  rows: SummaryRow[];
  /** Every parameter value of the model (each shared tensor once). */
  totalParameters: number;
  /** Those that require grad. */
  trainableParameters: number;
  /** The table, as Keras's `model.summary()` or torchinfo print it. */
  text: string;
}

/** Options of `summary`. */
export interface SummaryOptions {
  /** The dtype of the traced input. Default 'float32'. */
  dtype?: DType;
}

/**
 * A table of the model: every module below it with its output shape (from one traced forward pass on zeros
 * of `inputShape`, batch included, in eval mode and without gradients; the mode is restored after), its own
 * parameter count and whether those are trainable or frozen, then the totals.
 * @example console.log(summary(model, [1, 784]).text);
 */
export function summary(
  model: Module,
  inputShape: readonly number[],
  { dtype = 'float32' }: SummaryOptions = {},
): ModelSummary {
  const where = 'summary';
  if (model === null || typeof model?.namedModules !== 'function')
    throw new TypeError(`${where}: expected a Module, got ${preview(model)}`);
  if (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new RangeError(
      `${where}: inputShape must be an array of non-negative integers with the batch first, such as [1, 784]; got ${preview(inputShape)}`,
    );
  const modules = model.namedModules().slice(1);
  const shapes = new Map<Module, number[]>();
  const handles: HookHandle[] = modules.map(([, m]) =>
    m.registerForwardHook((mod, _inputs, out: Tensor) => {
      if (!shapes.has(mod)) shapes.set(mod, [...out.shape]);
    }),
  );
  const wasTraining = model.modules().map((m) => m.training);
  model.eval();
  try {
    noGrad(() => model.forward(zeros(inputShape, { dtype })));
  } finally {
    for (const h of handles) h.remove();
    model.modules().forEach((m, i) => {
      m.training = wasTraining[i];
    });
  }
  const rows = modules.map(([name, m]): SummaryRow => {
    const own = m.namedParameters().filter(([n]) => !n.includes('.'));
    const count = own.reduce((n, [, p]) => n + p.size, 0);
    const grads = own.filter(([, p]) => p.requiresGrad).length;
    return {
      name,
      type: m.constructor.name,
      depth: name.split('.').length,
      outputShape: shapes.get(m) ?? null,
      parameters: count,
      trainable:
        own.length === 0 ? '' : grads === own.length ? 'trainable' : grads === 0 ? 'frozen' : 'partly',
    };
  });
  const params = model.parameters();
  const totalParameters = params.reduce((n, p) => n + p.size, 0);
  const trainableParameters = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  return {
    rows,
    totalParameters,
    trainableParameters,
    text: table(model, rows, totalParameters, trainableParameters),
  };
}

function table(model: Module, rows: SummaryRow[], total: number, trainable: number): string {
  const cells = rows.map((r) => [
    `${'  '.repeat(r.depth - 1)}${r.name} (${r.type})`,
    r.outputShape === null ? '—' : `[${r.outputShape.join(', ')}]`,
    r.parameters.toLocaleString('en-US'),
    r.trainable,
  ]);
  const header = ['Layer (type)', 'Output shape', 'Params', 'Trainable'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    model.constructor.name,
    rule,
    line(header),
    rule,
    ...cells.map(line),
    rule,
    `Total parameters: ${total.toLocaleString('en-US')}`,
    `Trainable: ${trainable.toLocaleString('en-US')}`,
    `Frozen: ${(total - trainable).toLocaleString('en-US')}`,
  ].join('\n');
}
