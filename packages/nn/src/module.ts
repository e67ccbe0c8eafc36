import { Tensor } from '@selfnorm/tensor';

/** What `loadStateDict` did not match when `strict` is false (with `strict: true` these are errors). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

function isParameter(value: unknown): value is Tensor {
  return value instanceof Tensor && value.requiresGrad && value.isLeaf;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The base class of every layer and model, in PyTorch's vocabulary: subclass it, assign layers and parameters to
 * fields, and write `forward`. Parameters and sub-modules are found by walking the object's own enumerable fields
 * (no registration): a leaf `Tensor` with `requiresGrad` is a parameter, a `Module` is a child, and an array of
 * either is indexed (`blocks.0.weight`). Other tensors (constants, cached activations) are ignored unless
 * registered as buffers with `registerBuffer`.
 * A module or parameter reachable by two paths is reported once, under the first name found.
 *
 * Source: PyTorch's `torch.nn.Module` (https://pytorch.org/docs/stable/generated/torch.nn.Module.html).
 * @example
 * class Mlp extends Module {
 *   hidden = new Linear(784, 256, { rng });
 *   out = new Linear(256, 10, { rng });
 *   forward(x: Tensor) { return this.out.forward(selu(this.hidden.forward(x))); }
 * }
 * const model = new Mlp(); model.parameters().length; // 4
 */
export abstract class Module {
  /** True in training mode (the default); `eval()` sets it to false, and layers such as dropout read it. */
  training = true;
  readonly #buffers = new Map<string, Tensor>();

  /** The computation of this module. Call it directly: `model.forward(x)`. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * The (name, value) pairs searched for parameters and children; by default the own enumerable fields.
   * Override to name members differently (`Sequential` names its layers `0`, `1`, … as PyTorch does).
   */
  protected members(): Iterable<[string, unknown]> {
    return Object.entries(this);
  }

  /**
   * Registers a tensor that belongs to the state but is not trained (BatchNorm's running statistics): it is
   * saved by `stateDict()` and restored by `loadStateDict()`, but not returned by `parameters()`.
   * @example this.registerBuffer('running_mean', zeros([n]))
   */
  protected registerBuffer(name: string, value: Tensor): void {
    if (!(value instanceof Tensor)) throw new TypeError(`registerBuffer('${name}'): expected a Tensor`);
    this.#buffers.set(name, value);
  }

  /** The buffer registered under `name`; throws if there is none. */
  protected buffer(name: string): Tensor {
    const b = this.#buffers.get(name);
    if (b === undefined) throw new Error(`${this.constructor.name} has no buffer '${name}'`);
    return b;
  }

  /** The direct sub-modules with their field names (array elements as `field.i`); a module held twice, once. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (name: string, value: unknown) => {
      if (value instanceof Module && !seen.has(value)) {
        seen.add(value);
        out.push([name, value]);
      }
    };
    for (const [name, value] of this.members()) {
      if (Array.isArray(value)) value.forEach((v, i) => void visit(`${name}.${i}`, v));
      else visit(name, value);
    }
    return out;
  }

  /** The direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, with dotted names ('' for this one); each module once. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [['', this]];
    while (stack.length > 0) {
      const [prefix, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([prefix, m]);
      const kids = m.namedChildren();
      for (let i = kids.length - 1; i >= 0; i--)
        stack.push([prefix ? `${prefix}.${kids[i][0]}` : kids[i][0], kids[i][1]]);
    }
    return out;
  }

  /** This module and every module below it, each once. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  #ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, value] of this.members()) {
      if (isParameter(value)) out.push([name, value]);
      else if (Array.isArray(value)) {
        value.forEach((v, i) => {
          if (isParameter(v)) out.push([`${name}.${i}`, v]);
        });
      }
    }
    return out;
  }

  #walk(own: (m: Module) => [string, Tensor][]): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of own(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** Every trainable tensor with its dotted name (`0.weight`, `encoder.bias`); a shared tensor once. */
  namedParameters(): [string, Tensor][] {
    return this.#walk((m) => m.#ownParameters());
  }

  /** Every trainable tensor, each once: what an optimizer takes. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every registered buffer with its dotted name (`bn.running_mean`). */
  namedBuffers(): [string, Tensor][] {
    return this.#walk((m) => [...m.#buffers]);
  }

  /** Sets training mode on this module and every module below it; returns `this`. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`): dropout becomes the identity, BatchNorm uses running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets `grad` to null, PyTorch's default `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * A snapshot of every parameter and buffer by dotted name. Unlike PyTorch, the tensors are copies, so a
   * later training step does not change a saved snapshot.
   * @example const best = model.stateDict(); … model.loadStateDict(best);
   */
  stateDict(): Record<string, Tensor> {
    const entries: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#ownParameters(), ...m.#buffers]) {
        if (seen.has(t)) continue;
        seen.add(t);
        entries.push([prefix ? `${prefix}.${name}` : name, t.clone()]);
      }
    }
    return Object.fromEntries(entries);
  }

  /**
   * Copies values into this module's parameters and buffers, in place (optimizers holding them stay valid;
   * float64 values are rounded into float32 storage and vice versa). Checks everything before copying anything:
   * a shape mismatch is always an error; a missing or unexpected key is one too unless `strict` is false.
   * All problems are listed in a single error.
   * @example model.loadStateDict(loadSafetensors(bytes).tensors)
   */
  loadStateDict(
    stateDict: Record<string, Tensor>,
    { strict = true }: { strict?: boolean } = {},
  ): LoadStateDictResult {
    const own = new Map<string, Tensor>();
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#ownParameters(), ...m.#buffers]) {
        if (seen.has(t)) continue;
        seen.add(t);
        own.set(prefix ? `${prefix}.${name}` : name, t);
      }
    }
    const given = Object.keys(stateDict);
    const missingKeys = [...own.keys()].filter((k) => !Object.hasOwn(stateDict, k));
    const unexpectedKeys = given.filter((k) => !own.has(k));
    const problems: string[] = [];
    for (const k of given) {
      const target = own.get(k);
      const source = stateDict[k];
      if (target === undefined) continue;
      if (!(source instanceof Tensor)) problems.push(`'${k}' is not a Tensor`);
      else if (!sameShape(source.shape, target.shape)) {
        problems.push(`'${k}' has shape [${source.shape}], expected [${target.shape}]`);
      }
    }
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (problems.length > 0) {
      throw new Error(
        `${this.constructor.name}.loadStateDict: nothing was loaded because ${problems.join('; ')}` +
          (strict ? ' (pass { strict: false } to ignore missing and unexpected keys)' : ''),
      );
    }
    for (const [k, target] of own) {
      if (Object.hasOwn(stateDict, k)) target.data.set(stateDict[k].data);
      if (Object.hasOwn(stateDict, k)) target.markModified(); // the write is declared: its version goes up
    }
    return { missingKeys, unexpectedKeys };
  }
}
