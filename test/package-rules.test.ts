// The rules `pnpm check:packages` applies to every publishable package, on made-up manifests and file lists.
import test from 'ava';
import { manifestProblems, repositoryWebUrl, tarballProblems } from '../scripts/package-rules.js';
import type { Manifest, WorkspacePackage } from '../scripts/workspace-packages.js';

const root: Manifest = {
  name: 'keygate-monorepo',
  version: '0.0.0',
  license: 'MIT',
  repository: { type: 'git', url: 'git+https://github.com/keygate/keygate.git' },
  bugs: 'https://github.com/keygate/keygate/issues',
  engines: { node: '>=20.19' },
};

const good: Manifest = {
  name: '@keygate/thing',
  version: '0.1.0',
  description: 'a thing',
  license: 'MIT',
  keywords: ['keygate'],
  homepage: 'https://github.com/keygate/keygate/tree/main/packages/thing#readme',
  repository: { type: 'git', url: 'git+https://github.com/keygate/keygate.git', directory: 'packages/thing' },
  bugs: 'https://github.com/keygate/keygate/issues',
  engines: { node: '>=20.19' },
  files: ['dist', 'CHANGELOG.md'],
  exports: { '.': './src/index.ts' },
  publishConfig: { main: './dist/index.js', types: './dist/index.d.ts', exports: { '.': './dist/index.js' } },
  dependencies: { '@keygate/core': 'workspace:^', 'raw-body': '^3.0.2' },
};

const names = new Set(['@keygate/core', '@keygate/thing']);
const pkg = (manifest: Manifest): WorkspacePackage => ({ folder: 'packages/thing', dir: '/x/packages/thing', manifest });

test('a complete manifest has no problems', (t) => {
  t.deepEqual(manifestProblems(pkg(good), root, names), []);
});

test('missing metadata is named field by field', (t) => {
  const { keywords: _k, homepage: _h, bugs: _b, description: _d, ...bare } = good;
  const problems = manifestProblems(pkg({ ...bare, repository: { type: 'git', url: 'git+https://github.com/keygate/keygate.git' } }), root, names);
  for (const field of ['description', 'keywords', 'repository', 'homepage', 'bugs']) {
    t.true(problems.some((p) => p.startsWith(field)), `${field}: ${problems.join('; ')}`);
  }
  t.true(problems.some((p) => p.includes('"directory": "packages/thing"')));
});

test('the repository, license and Node range must match the root', (t) => {
  const problems = manifestProblems(pkg({ ...good, license: 'ISC', engines: { node: '>=18' }, repository: 'github:someone/else' }), root, names);
  t.is(problems.length, 3, problems.join('; '));
});

test('a library must point its published entry points into dist', (t) => {
  const problems = manifestProblems(pkg({ ...good, publishConfig: { exports: { '.': './dist/index.js' } } }), root, names);
  t.deepEqual(problems, [
    'publishConfig.main is missing: the published package points into dist',
    'publishConfig.types is missing: the published package points into dist',
  ]);
  const { exports: _e, publishConfig: _p, ...binOnly } = good;
  t.deepEqual(manifestProblems(pkg({ ...binOnly, bin: { thing: './dist/main.js' } }), root, names), []);
});

test('an internal dependency with a hand-written range is refused', (t) => {
  const problems = manifestProblems(pkg({ ...good, dependencies: { '@keygate/core': '^0.1.0' } }), root, names);
  t.deepEqual(problems, ['dependencies.@keygate/core is "^0.1.0": use "workspace:^" so releases keep internal ranges in step']);
});

test('a tarball ships the required files and the build output of its non-test sources only', (t) => {
  const sources = ['src/index.ts', 'src/index.test.ts', 'src/sub/part.ts'];
  const shipped = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts', 'dist/sub/part.js', 'dist/sub/part.d.ts'];
  t.deepEqual(tarballProblems(good, shipped, sources), []);
  const extra = ['dist/index.js.map', 'dist/index.test.js', 'dist/removed.js', 'src/index.ts', 'tsconfig.tsbuildinfo'];
  t.deepEqual(
    tarballProblems(good, [...shipped.filter((f) => f !== 'LICENSE'), ...extra], sources),
    ['the tarball has no LICENSE', ...extra.map((f) => `the tarball ships ${f}, which users do not need`)],
  );
});

test('every bin file must be in the tarball', (t) => {
  const files = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
  t.deepEqual(tarballProblems({ ...good, bin: { thing: './dist/main.js' } }, files, ['src/main.ts']), ['bin ./dist/main.js is not in the tarball']);
});

test('repositoryWebUrl turns the git URL into the web address', (t) => {
  t.is(repositoryWebUrl('git+https://github.com/keygate/keygate.git'), 'https://github.com/keygate/keygate');
});
