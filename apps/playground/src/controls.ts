/** The settings form: reading it into a TrainConfig and writing a config into it. */
import type { OptimizerName, TrainConfig } from './config.ts';
import { type Activation, checkSpec } from './model.ts';

function field(form: HTMLFormElement, name: string): HTMLInputElement | HTMLSelectElement {
  const el = form.elements.namedItem(name);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement))
    throw new Error(`controls: the form has no field '${name}'`);
  return el;
}

function nets(form: HTMLFormElement): HTMLInputElement[] {
  return [...form.querySelectorAll<HTMLInputElement>('input[name="net"]')];
}

/** Shows `config` in the form. */
export function writeControls(form: HTMLFormElement, config: TrainConfig): void {
  field(form, 'depth').value = String(config.depth);
  const width = field(form, 'width') as HTMLSelectElement;
  if (![...width.options].some((o) => o.value === String(config.width)))
    width.add(new Option(String(config.width)));
  width.value = String(config.width);
  field(form, 'dropout').value = String(config.dropout);
  field(form, 'optimizer').value = config.optimizer;
  field(form, 'lr').value = String(config.lr);
  const batch = field(form, 'batch') as HTMLSelectElement;
  if (![...batch.options].some((o) => o.value === String(config.batchSize)))
    batch.add(new Option(String(config.batchSize)));
  batch.value = String(config.batchSize);
  field(form, 'seed').value = String(config.seed);
  for (const box of nets(form)) box.checked = config.nets.includes(box.value as Activation);
}

/** Reads the form; throws a RangeError naming the setting when one is out of range. */
export function readControls(form: HTMLFormElement): TrainConfig {
  const num = (name: string) => Number(field(form, name).value);
  const config: TrainConfig = {
    depth: num('depth'),
    width: num('width'),
    dropout: num('dropout'),
    optimizer: field(form, 'optimizer').value as OptimizerName,
    lr: num('lr'),
    batchSize: num('batch'),
    seed: num('seed'),
    nets: nets(form)
      .filter((b) => b.checked)
      .map((b) => b.value as Activation),
  };
  if (config.nets.length === 0) throw new RangeError('Networks: tick at least one network to train');
  if (!(config.lr > 0)) throw new RangeError(`Learning rate must be > 0, got ${field(form, 'lr').value}`);
  if (!Number.isInteger(config.seed) || config.seed < 0)
    throw new RangeError(`Seed must be a whole number >= 0, got ${field(form, 'seed').value}`);
  checkSpec({ ...config, activation: 'selu' });
  return config;
}
