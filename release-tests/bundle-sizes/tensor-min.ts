// An entry point of release-tests/bundle-sizes.mjs: the smallest program of its kind, bundled for a browser.
import { tensor } from '@selfnorm/tensor';

console.log(tensor([1, 2, 3]).mul(2).sum().item());
