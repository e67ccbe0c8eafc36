/** Functional gradients (`grad`, `valueAndGrad`, `gradients`) and the public way to define a new differentiable op. */

import { describeValue } from '../arg-checks';
import { ones } from '../creation';
import { cast } from '../primitives/view';
import { formatShape, shapesEqual } from '../shape';
import { Tensor } from '../tensor';
import { sweep } from './engine';
import { enableGrad, isGradEnabled, noGrad } from './grad-mode';
import { recordCustom, type Vjp } from './node';

export interface GradientsOptions {
  /** Record the gradient computation so it can be differentiated again (default: false). */
  createGraph?: boolean;
  /** Keep the graph of `outputs` after the sweep (default: `createGraph`). */
  retainGraph?: boolean;
  /** Return `null` for an input the outputs do not depend on, instead of throwing (default: false). */
  allowUnused?: boolean;
}

/**
 * ∂(Σ outputs·gradOutputs)/∂inputs, without touching any `.grad` (like `torch.autograd.grad`).
 * @example const [dx] = gradients([y], [x], { createGraph: true }); // then differentiate dx again
 */
export function gradients(
  outputs: readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradientsOptions & { gradOutputs?: readonly Tensor[] } = {},
): Array<Tensor | null> {
  const seeds = outputs.map((o, i) => {
    const given = options.gradOutputs?.[i];
    if (given) {
      if (!(given instanceof Tensor) || !shapesEqual(given.shape, o.shape)) {
        throw new Error(
          `gradients: gradOutputs[${i}] must be a Tensor of output ${i}'s shape ${formatShape(o.shape)}, got ` +
            `${given instanceof Tensor ? `shape ${formatShape(given.shape)}` : typeof given}`,
        );
      }
      return given.dtype === o.dtype ? given : cast(given, o.dtype);
    }
    if (o.size !== 1) {
      throw new Error(
        `gradients: output ${i} has shape ${formatShape(o.shape)}; pass gradOutputs for non-scalar outputs`,
      );
    }
    return ones(o.shape, { dtype: o.dtype });
  });
  inputs.forEach((x, i) => {
    if (!x.requiresGrad)
      throw new Error(`gradients: input ${i} does not require grad, so it has no gradient`);
  });
  const live = outputs.filter((o) => o.requiresGrad);
  const got = sweep(
    live,
    seeds.filter((_, i) => outputs[i].requiresGrad),
    { createGraph: options.createGraph, retainGraph: options.retainGraph, accumulate: false, inputs },
  );
  return inputs.map((x, i) => {
    const g = got.get(x);
    if (g) return g;
    if (options.allowUnused) return null;
    throw new Error(
      `gradients: the output does not depend on input ${i}; its gradient is undefined ` +
        '(pass { allowUnused: true } to get null instead)',
    );
  });
}

export interface GradOptions {
  /** Which arguments to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
}

type GradResult<O extends GradOptions> = O['argnums'] extends readonly number[] ? Tensor[] : Tensor;

/**
 * Turns a scalar function of tensors into the function that returns its gradient (JAX-style); nests for
 * higher derivatives. @example const d2 = grad(grad((x) => tanh(x).sum())); d2(x)
 */
export function grad<O extends GradOptions = { argnums?: number }>(
  f: (...args: Tensor[]) => Tensor,
  options?: O,
): (...args: Tensor[]) => GradResult<O> {
  const vg = valueAndGrad(f, options);
  return (...args: Tensor[]) => vg(...args)[1];
}

/** Like `grad`, but returns `[value, gradient]`. @example const [loss, g] = valueAndGrad(f)(w) */
export function valueAndGrad<O extends GradOptions = { argnums?: number }>(
  f: (...args: Tensor[]) => Tensor,
  options?: O,
): (...args: Tensor[]) => [Tensor, GradResult<O>] {
  const argnums = options?.argnums === undefined ? 0 : options.argnums;
  const which = checkArgnums(argnums);
  return (...args: Tensor[]) => {
    which.forEach((k) => {
      if (!(args[k] instanceof Tensor))
        throw new TypeError(`grad: argument ${k} must be a Tensor, got ${describeValue(args[k])}`);
    });
    // An argument already on a tape (an outer grad) is used as is, so that the result stays differentiable.
    const nested = isGradEnabled() && which.some((k) => args[k].requiresGrad);
    const xs = args.slice();
    for (const k of which) if (!xs[k].requiresGrad || !isGradEnabled()) xs[k] = xs[k].detach().requireGrad();
    // A function transform, like torch.func.grad: it records f even inside an outer noGrad.
    const value = nested ? f(...xs) : enableGrad(() => f(...xs));
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw new Error(
        `grad: the function must return a scalar Tensor, got ${value instanceof Tensor ? `shape ${formatShape(value.shape)}` : typeof value}`,
      );
    }
    const gs = value.requiresGrad
      ? gradients(
          [value],
          which.map((k) => xs[k]),
          { createGraph: nested, allowUnused: true },
        )
      : which.map(() => null);
    // Name the argument (not its position in `argnums`) when the output does not depend on it.
    const unused = which.find((_, j) => gs[j] === null);
    if (unused !== undefined) {
      throw new Error(
        `grad: the function's output does not depend on argument ${unused}; its gradient is undefined`,
      );
    }
    const out = (typeof argnums === 'number' ? gs[0] : gs) as GradResult<O>;
    return [nested ? value : value.detach(), out];
  };
}

/** The positions `argnums` names, checked when the transform is made (not when it is first called). */
function checkArgnums(argnums: unknown): number[] {
  const ok = (k: unknown) => Number.isSafeInteger(k) && (k as number) >= 0;
  if (ok(argnums)) return [argnums as number];
  if (
    Array.isArray(argnums) &&
    argnums.length > 0 &&
    argnums.every(ok) &&
    new Set(argnums).size === argnums.length
  )
    return [...argnums];
  throw new TypeError(
    `grad: options.argnums must be a non-negative integer or a non-empty array of distinct ones, got ${describeValue(argnums)}`,
  );
}

export interface CustomOpDefinition {
  /** A name for error messages and debugging. */
  name: string;
  /** Computes the output from the inputs (run without recording). */
  forward: (...inputs: Tensor[]) => Tensor;
  /**
   * The vector-Jacobian product: given ∂L/∂output, the gradient for each input (null for none), in the
   * input's shape or its broadcast shape. Write it with tensor ops to keep higher-order gradients.
   */
  backward: (
    grad: Tensor,
    context: { inputs: readonly Tensor[]; output: Tensor },
  ) => ReadonlyArray<Tensor | null | undefined>;
}

/**
 * Defines a differentiable op with its own forward and VJP, like `torch.autograd.Function` or
 * `tf.customGrad`. @example
 * const square = customOp({ name: 'square', forward: (x) => mul(x, x), backward: (g, { inputs: [x] }) => [mul(g, mul(x, 2))] });
 */
export function customOp(definition: CustomOpDefinition): (...inputs: Tensor[]) => Tensor {
  const { name, forward, backward } = definition;
  return (...inputs: Tensor[]) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new TypeError(`${name}: input ${i} must be a Tensor`);
    });
    const raw = noGrad(() => forward(...inputs));
    if (!(raw instanceof Tensor)) throw new TypeError(`${name}: forward must return a Tensor`);
    // A fresh tensor sharing storage, so an input returned as-is does not get a node of its own.
    const output = new Tensor(raw.buffer, raw.shape, false, raw.device);
    const vjp: Vjp = (g) => {
      const gs = backward(g, { inputs, output });
      if (!Array.isArray(gs) || gs.length !== inputs.length) {
        throw new Error(`${name}: backward must return one gradient (or null) per input: ${inputs.length}`);
      }
      return gs;
    };
    return recordCustom(name, output, inputs, vjp);
  };
}
