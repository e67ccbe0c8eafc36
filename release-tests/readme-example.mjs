// Extracts a README's first ```ts code block into a file, so that the release check can type-check it and
// run it against the installed package: the example users copy is the example CI runs.
// Usage: node release-tests/readme-example.mjs <README.md> <out.ts>
import { readFileSync, writeFileSync } from 'node:fs';

const [readme, out] = process.argv.slice(2);
const text = readFileSync(readme, 'utf8');
const match = /^```ts\n([\s\S]*?)^```$/m.exec(text);
if (!match) {
  console.error(`${readme} has no \`\`\`ts example block (the first one is tested)`);
  process.exit(1);
}
writeFileSync(out, `// Extracted from ${readme}\n${match[1]}`);
console.log(`${out}: ${match[1].split('\n').length - 1} lines`);
