// What every published package must carry, beyond what publint and attw check. Pure functions over a manifest and a
// packed file list, so the rules are unit-tested (test/package-rules.test.ts) and run by `pnpm check:packages`.
import type { Manifest, WorkspacePackage } from './workspace-packages.js';

/** Files every tarball carries besides the build output. */
export const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'] as const;

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

function repositoryOf(manifest: Manifest): { type?: string; url?: string; directory?: string } {
  return typeof manifest.repository === 'string' ? { url: manifest.repository } : (manifest.repository ?? {});
}

function bugsOf(manifest: Manifest): string | undefined {
  return typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url;
}

/** `git+https://github.com/o/r.git` -> `https://github.com/o/r`. */
export function repositoryWebUrl(url: string): string {
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/**
 * Problems with a package's own package.json, judged against the root package.json (which holds the repository,
 * bugs URL, license and Node range once). `workspaceNames` are the names of every workspace package: depending on
 * one must use the `workspace:` protocol, so `pnpm pack` writes the range that matches the version being released.
 */
export function manifestProblems(pkg: WorkspacePackage, root: Manifest, workspaceNames: ReadonlySet<string>): string[] {
  const { manifest, folder } = pkg;
  const problems: string[] = [];
  const rootRepository = repositoryOf(root);
  const repository = repositoryOf(manifest);
  if (!manifest.description?.trim()) problems.push('description is missing');
  if (manifest.license !== root.license) problems.push(`license must be "${root.license}", as the root LICENSE says`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('keywords are missing');
  if (repository.type !== 'git' || repository.url !== rootRepository.url || repository.directory !== folder) {
    problems.push(`repository must be { "type": "git", "url": "${rootRepository.url}", "directory": "${folder}" }`);
  }
  if (rootRepository.url !== undefined) {
    const homepage = `${repositoryWebUrl(rootRepository.url)}/tree/main/${folder}#readme`;
    if (manifest.homepage !== homepage) problems.push(`homepage must be "${homepage}"`);
  }
  if (bugsOf(manifest) === undefined || bugsOf(manifest) !== bugsOf(root)) problems.push(`bugs must be "${bugsOf(root)}"`);
  if (manifest.engines?.['node'] !== root.engines?.['node']) problems.push(`engines.node must be "${root.engines?.['node']}"`);
  if (!Array.isArray(manifest.files)) problems.push('files is missing: list what the tarball ships (dist, CHANGELOG.md)');
  if (manifest.exports !== undefined) {
    for (const field of ['exports', 'main', 'types']) {
      if (manifest.publishConfig?.[field] === undefined) problems.push(`publishConfig.${field} is missing: the published package points into dist`);
    }
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (workspaceNames.has(name) && !range.startsWith('workspace:')) {
        problems.push(`${field}.${name} is "${range}": use "workspace:^" so releases keep internal ranges in step`);
      }
    }
  }
  return problems;
}

/** A source file's build outputs: `src/a/b.ts` -> `dist/a/b.js`, `dist/a/b.d.ts`. */
function outputsOf(source: string): string[] {
  const stem = source.replace(/^src\//, 'dist/').replace(/\.ts$/, '');
  return [`${stem}.js`, `${stem}.d.ts`];
}

/**
 * Problems with what a tarball ships. `files` are the packed paths (relative to the package); `sources` the package's
 * `.ts` files under src/. Allowed: the required files, and the build output of a source that is not a test; anything
 * else (tests, source maps, build info, stale output of a deleted source) is something users do not need.
 */
export function tarballProblems(manifest: Manifest, files: readonly string[], sources: readonly string[]): string[] {
  const problems: string[] = [];
  const shipped = new Set(files);
  for (const required of REQUIRED_FILES) {
    if (!shipped.has(required)) problems.push(`the tarball has no ${required}`);
  }
  const allowed = new Set<string>([
    ...REQUIRED_FILES,
    ...sources.filter((source) => !source.endsWith('.test.ts')).flatMap(outputsOf),
  ]);
  for (const file of files) {
    if (!allowed.has(file)) problems.push(`the tarball ships ${file}, which users do not need`);
  }
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  for (const bin of bins) {
    if (!shipped.has(bin.replace(/^\.\//, ''))) problems.push(`bin ${bin} is not in the tarball`);
  }
  return problems;
}
