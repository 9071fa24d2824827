// The publishable packages of the workspace, and how they become the tarballs a registry would serve. Shared by
// `pnpm check:packages`, `pnpm run docs` and the consumer test, so a package added under packages/ is covered by all three.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The package.json fields these scripts read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly license?: string;
  readonly keywords?: readonly string[];
  readonly homepage?: string;
  readonly bugs?: string | { readonly url?: string };
  readonly repository?: string | { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly engines?: Readonly<Record<string, string>>;
  readonly files?: readonly string[];
  readonly exports?: unknown;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly publishConfig?: Readonly<Record<string, unknown>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  /** Path from the repository root, e.g. `packages/core`. */
  readonly folder: string;
  /** Absolute path. */
  readonly dir: string;
  readonly manifest: Manifest;
}

export interface PackedPackage extends WorkspacePackage {
  /** Absolute path of the tarball `pnpm pack` wrote. */
  readonly tarball: string;
  /** The packed paths, relative to the package (`dist/index.js`). */
  readonly files: readonly string[];
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every package under packages/ that is not private, sorted by folder. */
export function publishablePackages(): WorkspacePackage[] {
  const parent = join(ROOT, 'packages');
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(parent, entry.name);
      return { folder: `packages/${entry.name}`, dir, manifest: readManifest(dir) };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** A library has an `exports` map (types to check and document); a bin-only package such as the CLI has none. */
export function isLibrary(pkg: WorkspacePackage): boolean {
  return pkg.manifest.exports !== undefined;
}

/**
 * pnpm, as the running script was started with it (`npm_execpath`, also under `npx pnpm@10`), else from PATH. Only
 * pnpm packs: it turns `workspace:^` into real ranges and applies `publishConfig`.
 */
export function pnpm(args: readonly string[], options: ExecFileSyncOptions = {}): string {
  const execPath = process.env['npm_execpath'];
  const [command, prefix] = execPath !== undefined && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ['pnpm', []];
  return String(execFileSync(command, [...prefix, ...args], { cwd: ROOT, encoding: 'utf8', ...options }) ?? '');
}

/**
 * Builds every package from scratch: removes each package's dist and build info first, so a tarball never carries
 * the output of a source file that no longer exists.
 */
export function cleanBuild(): void {
  for (const entry of readdirSync(join(ROOT, 'packages'))) {
    rmSync(join(ROOT, 'packages', entry, 'dist'), { recursive: true, force: true });
    rmSync(join(ROOT, 'packages', entry, 'tsconfig.tsbuildinfo'), { force: true });
  }
  pnpm(['run', '--silent', 'build'], { stdio: 'inherit' });
}

/** `pnpm pack` of every publishable package into `destination` (after a clean build). */
export function packAll(destination: string): PackedPackage[] {
  cleanBuild();
  return publishablePackages().map((pkg) => {
    const output = pnpm(['pack', '--json', '--pack-destination', destination], { cwd: pkg.dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const { filename, files } = JSON.parse(output) as { filename: string; files: { path: string }[] };
    return { ...pkg, tarball: isAbsolute(filename) ? filename : join(destination, filename), files: files.map((file) => file.path) };
  });
}
