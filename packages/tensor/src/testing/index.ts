export { type CloseOptions, expectClose } from './expect-close';
export { type GradcheckOptions, type GradcheckResult, gradcheck } from './gradcheck';
