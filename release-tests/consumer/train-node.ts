// Node: the training loop on the installed tarballs lowers the loss.
import { train } from './train.js';

const losses = train(60);
console.log(losses.map((l, i) => `step ${i}: ${l.toFixed(4)}`).join('\n'));
if (!losses.every(Number.isFinite)) throw new Error('a loss is not finite');
const first = losses[0];
const last = losses[losses.length - 1];
if (!(last < 0.7 * first))
  throw new Error(`the loss should fall by 30% in ${losses.length} steps: ${first} → ${last}`);
console.log(`loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${losses.length} steps`);
