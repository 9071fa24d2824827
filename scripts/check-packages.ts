// `pnpm check:packages`: packs every publishable package as a release would and checks each tarball with publint,
// @arethetypeswrong/cli and the rules of package-rules.ts. Exits non-zero when any package has a problem.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { manifestProblems, tarballProblems } from './package-rules.js';
import { isLibrary, packAll, publishablePackages, readManifest, ROOT, type PackedPackage } from './workspace-packages.js';

// attw's rule `cjs-resolves-to-esm` is switched off: the packages are ESM only and CommonJS apps load them with
// require(esm), which Node >= 20.19 (the packages' engines) supports, and TypeScript >= 5.8 understands under
// `module: nodenext`. attw warns because its bundled TypeScript predates that. The consumer test proves it works:
// a CommonJS app require()s every package (test/consumer.test.ts).
const ATTW_ARGS = ['--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped', '--no-color'];

function sourcesOf(dir: string): string[] {
  return readdirSync(join(dir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/${file.split('\\').join('/')}`);
}

async function publintProblems(pkg: PackedPackage): Promise<string[]> {
  const tarball = readFileSync(pkg.tarball);
  const result = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion', strict: true });
  return result.messages.map((message) => `publint ${message.type} ${message.code}: ${formatMessage(message, result.pkg, { color: false })}`);
}

function attwProblems(pkg: PackedPackage): string[] {
  if (!isLibrary(pkg)) return [];
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/attw'), [pkg.tarball, ...ATTW_ARGS], { encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return [`attw: ${`${stdout ?? ''}${stderr ?? ''}`.trim()}`];
  }
}

const root = readManifest(ROOT);
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const workspaceNames = new Set(publishablePackages().map((pkg) => pkg.manifest.name));
const destination = mkdtempSync(join(tmpdir(), 'keygate-pack-'));
let failed = 0;
try {
  for (const pkg of packAll(destination)) {
    const license = join(pkg.dir, 'LICENSE');
    const licenseProblems = existsSync(license) && readFileSync(license, 'utf8') === rootLicense
      ? [] : [`${pkg.folder}/LICENSE must be a copy of the root LICENSE: cp LICENSE ${pkg.folder}/`];
    const problems = [
      ...manifestProblems(pkg, root, workspaceNames),
      ...licenseProblems,
      ...tarballProblems(pkg.manifest, pkg.files, sourcesOf(pkg.dir)),
      ...(await publintProblems(pkg)),
      ...attwProblems(pkg),
    ];
    const checked = isLibrary(pkg) ? 'package.json, contents, publint, attw' : 'package.json, contents, publint (no types to check: bin only)';
    if (problems.length === 0) {
      console.log(`ok ${pkg.manifest.name} (${relative(ROOT, pkg.dir)}): ${checked}`);
    } else {
      failed += 1;
      console.log(`FAIL ${pkg.manifest.name} (${relative(ROOT, pkg.dir)}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
if (failed > 0) {
  console.log(`${failed} package(s) failed the package checks`);
  process.exitCode = 1;
}
