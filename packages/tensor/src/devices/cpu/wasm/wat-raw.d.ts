/** `import text from './x.wat?raw'` (Vite/vitest): the .wat source as a string, for the drift test. */
declare module '*.wat?raw' {
  const text: string;
  export default text;
}
