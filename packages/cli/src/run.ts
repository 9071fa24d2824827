import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { curlCommand, type CurlBody } from './curl.js';
import { BODY_OPTIONS, CONTENT_TYPE_OPTION, mainHelp, OUTPUT_OPTIONS, schemeHelp, signHelp } from './help.js';
import { SCHEMES, type OptionSpec, type OptionValues, type SchemeCommand } from './schemes.js';
import { isSecretArgument, readSecret, SECRET_ENV, UsageError, type SecretInput } from './secret.js';

/** What the CLI reads and writes, so tests run it in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: SecretInput;
  stdout(text: string): void;
  stderr(text: string): void;
}

const HELP_FLAGS = new Set(['-h', '--help']);

function optionsOf(scheme: SchemeCommand): OptionSpec[] {
  const body = scheme.body === 'none' ? [] : [...BODY_OPTIONS, ...(scheme.contentType !== undefined ? [CONTENT_TYPE_OPTION] : [])];
  return [...scheme.options, ...body, ...OUTPUT_OPTIONS];
}

// parseArgs' own messages quote stray arguments; ours never repeat a value, which might be a mistyped secret.
function parse(args: readonly string[], specs: readonly OptionSpec[]): OptionValues {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of specs) options[spec.name] = { type: spec.value ? 'string' : 'boolean', ...(spec.short ? { short: spec.short } : {}) };
  try {
    // No option is declared `multiple`, so every value is a string or a flag.
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError('unexpected argument: every value follows its option name');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError((error as Error).message);
    throw error;
  }
}

function bodyOf(values: OptionValues): { bytes: Uint8Array; curl: CurlBody } | undefined {
  const text = values['data'];
  const file = values['data-file'];
  if (typeof text === 'string' && typeof file === 'string') throw new UsageError('--data and --data-file: give one body');
  if (typeof text === 'string') return { bytes: Buffer.from(text, 'utf8'), curl: { text } };
  if (typeof file !== 'string') return undefined;
  try {
    return { bytes: readFileSync(file), curl: { file } };
  } catch (error) {
    throw new UsageError(`--data-file cannot be read (${(error as { code?: string }).code ?? 'error'})`);
  }
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('--curl needs an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--curl needs an absolute http:// or https:// URL');
  return value;
}

async function sign(scheme: SchemeCommand, args: readonly string[], io: CliIo): Promise<number> {
  const specs = optionsOf(scheme);
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    io.stdout(schemeHelp(scheme, specs));
    return 0;
  }
  const values = parse(args, specs);
  const missing = specs.filter((spec) => spec.required && (typeof values[spec.name] !== 'string' || values[spec.name] === ''));
  if (missing.length > 0) throw new UsageError(`${scheme.name} needs ${missing.map((spec) => `--${spec.name} ${spec.value}`).join(' and ')}`);
  if (typeof values['curl'] === 'string' && values['json'] === true) throw new UsageError('--curl and --json: pick one output');
  const method = typeof values['method'] === 'string' ? values['method'].toUpperCase() : undefined;
  if (method !== undefined && !/^[A-Z]+$/.test(method)) throw new UsageError('--method takes an HTTP method such as GET or POST');
  const url = typeof values['curl'] === 'string' ? checkedUrl(values['curl']) : undefined;
  const body = bodyOf(values);
  const secret = await readSecret(io.env, io.stdin, values['secret-stdin'] === true);
  if (/^\s|\s$/.test(secret)) io.stderr('keygate: note: the secret starts or ends with white space, and is used as is\n');

  const headers = scheme.sign(values, secret, body?.bytes);
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = typeof values['content-type'] === 'string' ? values['content-type'] : (scheme.contentType ?? 'application/json');
  }
  if (url !== undefined) {
    const request = { method: method ?? scheme.method ?? (body ? 'POST' : 'GET'), url, headers };
    io.stdout(`${curlCommand(body ? { ...request, body: body.curl } : request)}\n`);
  } else if (values['json'] === true) {
    io.stdout(`${JSON.stringify(headers, null, 2)}\n`);
  } else {
    io.stdout(Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`).join(''));
  }
  return 0;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.some(isSecretArgument)) {
    throw new UsageError(`a secret is never taken from the command line (ps and the shell history would show it): set ${SECRET_ENV}, or pipe it in with --secret-stdin`);
  }
  const [command, schemeName, ...rest] = argv;
  if (command === undefined) {
    io.stderr(mainHelp(SCHEMES));
    return 2;
  }
  if (HELP_FLAGS.has(command) || command === 'help') {
    io.stdout(mainHelp(SCHEMES));
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  if (command !== 'sign') throw new UsageError('unknown command: the command is keygate sign <scheme>');
  if (schemeName === undefined) {
    io.stderr(signHelp(SCHEMES));
    return 2;
  }
  if (HELP_FLAGS.has(schemeName)) {
    io.stdout(signHelp(SCHEMES));
    return 0;
  }
  const scheme = SCHEMES.find((s) => s.name === schemeName);
  if (scheme === undefined) throw new UsageError(`unknown scheme: use one of ${SCHEMES.map((s) => s.name).join(', ')}`);
  return sign(scheme, rest, io);
}

/**
 * Runs `keygate` with its arguments (without `node` and the script); resolves with the exit code: 0 done, 2 a usage
 * mistake (explained on stderr), 1 anything else.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`keygate: ${error.message}\n`);
      return 2;
    }
    io.stderr(`keygate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
