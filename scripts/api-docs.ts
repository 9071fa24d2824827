// `pnpm run docs`: the HTML API reference of every library package (docs/api/index.html), built by TypeDoc from the
// entry points of each package's exports map (subpaths included). TypeDoc runs from the docs/ workspace package, whose
// TypeScript is 5.9: TypeDoc needs the JavaScript compiler API, which the workspace's TypeScript 7 does not have.
// Warnings (an undocumented export, a broken link) fail the build; packages added under packages/ are picked up on
// their own. (`run` is needed: a bare `pnpm docs` is npm's docs command, which prints the homepage URL.)
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { isLibrary, pnpm, publishablePackages, ROOT } from './workspace-packages.js';

const DOCS = join(ROOT, 'docs');

// TypeDoc reads each package through its tsconfig, whose project references resolve @keygate/* imports to the built
// declarations: build first (incremental, so cheap when nothing changed).
pnpm(['run', '--silent', 'build'], { stdio: 'inherit' });
const entryPoints = publishablePackages().filter(isLibrary).flatMap((pkg) => ['--entryPoints', relative(DOCS, pkg.dir)]);
try {
  execFileSync(join(DOCS, 'node_modules/.bin/typedoc'), ['--options', 'typedoc.json', ...entryPoints], { cwd: DOCS, stdio: 'inherit' });
} catch {
  console.error('pnpm run docs failed: see the TypeDoc warnings above (an undocumented export or a broken link fails the build)');
  process.exit(1);
}
console.log(`API reference: ${relative(process.cwd(), join(DOCS, 'api/index.html'))}`);
