import { noGrad, Tensor, zeros } from '@selfnorm/tensor';
import type { Module } from '../module';
import { exportableNames, type RuleContext, ruleFor } from './rules';

/** One call of an exportable module, in the order the model's forward made it. */
export interface TraceStep {
  module: Module;
  path: string;
  rule: (ctx: RuleContext) => string;
  inputShape: readonly number[];
}

/** `layers.3 (MyLayer)`, or `the model (MyLayer)` for the root. */
export function describeModule(path: string, m: Module): string {
  return `${path === '' ? 'the model' : path} (${m.constructor.name})`;
}

function notExportable(path: string, m: Module): Error {
  return new Error(
    `exportOnnx: cannot export ${describeModule(path, m)}: it is none of the layers exportOnnx knows ` +
      `(${exportableNames()}, and Sequential), and its forward does more than call such layers one after another ` +
      '(a tensor op of its own, a branch or a residual sum). Rewrite it as a chain of those layers',
  );
}

/**
 * Runs the model's eval-mode forward once on zeros of `shape` (without gradients) and records each call of a module
 * that has a rule. Every other module (Sequential, a user's model class) is traced through, and must be a pure chain:
 * each call's input is the previous call's output, and its own output is the last call's output. Anything else (a
 * tensor op between calls, a branch, a residual sum) is an error naming the module, never a silently different
 * graph. Each module's `training` flag is restored afterwards.
 */
export function traceChain(
  model: Module,
  shape: readonly number[],
  origin = '(options.inputShape)',
): { steps: TraceStep[]; output: Tensor } {
  const named = model.namedModules();
  const dtype = model.parameters()[0]?.dtype ?? 'float32';
  const probe = zeros([...shape], { dtype });
  const steps: TraceStep[] = [];
  const stack: [string, Module][] = [];
  let current: Tensor = probe;
  let insideRule = 0;
  const enclosing = (path: string, m: Module) => stack.at(-1) ?? [path, m];
  const restore: (() => void)[] = [];
  const modes = named.map(([, m]) => m.training);
  for (const [path, m] of named) {
    const rule = ruleFor(m);
    const original = m.forward;
    const own = Object.getOwnPropertyDescriptor(m, 'forward');
    const wrapped = (...inputs: Tensor[]): Tensor => {
      if (insideRule > 0) return original.apply(m, inputs);
      if (inputs.length !== 1 || !(inputs[0] instanceof Tensor)) {
        throw new Error(
          `exportOnnx: cannot export ${describeModule(path, m)}: its forward is called with ${inputs.length} ` +
            'argument(s); exportOnnx exports modules that take one tensor',
        );
      }
      if (inputs[0] !== current) throw notExportable(...enclosing(path, m));
      if (rule !== undefined) {
        insideRule++;
        try {
          current = original.call(m, inputs[0]);
        } finally {
          insideRule--;
        }
        steps.push({ module: m, path, rule, inputShape: [...inputs[0].shape] });
        return current;
      }
      stack.push([path, m]);
      let out: Tensor;
      try {
        out = original.call(m, inputs[0]);
      } finally {
        stack.pop();
      }
      if (out !== current) throw notExportable(path, m);
      return out;
    };
    Object.defineProperty(m, 'forward', {
      value: wrapped,
      configurable: true,
      enumerable: false,
      writable: true,
    });
    restore.push(() => {
      if (own === undefined) delete (m as { forward?: unknown }).forward;
      else Object.defineProperty(m, 'forward', own);
    });
  }
  try {
    model.eval();
    const output = noGrad(() => {
      try {
        return model.forward(probe);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('exportOnnx:')) throw e;
        throw new Error(
          `exportOnnx: the model's eval-mode forward fails on an input of shape [${shape}] ${origin}: ` +
            (e instanceof Error ? e.message : String(e)),
        );
      }
    });
    return { steps, output };
  } finally {
    for (const undo of restore) undo();
    named.forEach(([, m], i) => {
      m.training = modes[i];
    });
  }
}
