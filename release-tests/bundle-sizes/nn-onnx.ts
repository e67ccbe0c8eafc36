// An entry point of release-tests/bundle-sizes.mjs: the smallest program of its kind, bundled for a browser.
import { exportOnnx, Linear } from '@selfnorm/nn';
import { Rng } from '@selfnorm/tensor';

console.log(exportOnnx(new Linear(4, 2, { rng: new Rng(0) }), { inputShape: [1, 4] }).length);
