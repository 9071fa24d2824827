import type { OptionSpec, SchemeCommand } from './schemes.js';
import { SECRET_ENV } from './secret.js';

/** Options every `keygate sign <scheme>` takes. */
export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'curl', value: 'URL', description: 'print a ready curl command for URL instead of the headers' },
  { name: 'json', description: 'print the headers as a JSON object' },
  { name: 'method', value: 'METHOD', short: 'X', description: 'the HTTP method for --curl (default: POST with a body, else GET)' },
  { name: 'secret-stdin', description: `read the secret from standard input instead of ${SECRET_ENV}` },
  { name: 'help', short: 'h', description: 'show this help' },
];

/** Options of schemes that send a body. */
export const BODY_OPTIONS: readonly OptionSpec[] = [
  { name: 'data', value: 'TEXT', short: 'd', description: 'the request body, exactly these bytes (UTF-8)' },
  { name: 'data-file', value: 'PATH', description: 'the request body, read from a file byte for byte' },
];

/** Lets the body's media type be chosen where the scheme does not fix it. */
export const CONTENT_TYPE_OPTION: OptionSpec = {
  name: 'content-type', value: 'TYPE', description: 'the body\'s Content-Type (default: application/json)',
};

const SECRET_HELP = [
  'The secret',
  `  comes from the ${SECRET_ENV} environment variable, or from standard input with --secret-stdin. It is never`,
  '  taken from the command line (ps and the shell history would show it) and never printed. To set it without',
  `  leaving it in the history: read -rs ${SECRET_ENV} && export ${SECRET_ENV}`,
];

function optionLines(options: readonly OptionSpec[]): string[] {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `  ${left[i]!.padEnd(width)}${o.required ? '(required) ' : ''}${o.description}`);
}

/** `keygate --help`. */
export function mainHelp(schemes: readonly SchemeCommand[]): string {
  return [
    'keygate: sign one request the way a keygate-protected API expects it',
    '',
    'Usage',
    '  keygate sign <scheme> [options]            print the headers that sign one request',
    '  keygate sign <scheme> [options] --curl URL print a ready curl command instead',
    '  keygate sign <scheme> --help               the scheme\'s options',
    '  keygate --version',
    '',
    'Schemes',
    ...schemes.map((s) => `  ${s.name.padEnd(8)} ${s.summary}`),
    '',
    ...SECRET_HELP,
    '',
    'Example',
    `  read -rs ${SECRET_ENV} && export ${SECRET_ENV}`,
    '  keygate sign inqud --token-id TKN-… -d \'{"amount": 50}\' --curl http://127.0.0.1:3000/inqud/v1/payout',
    '',
  ].join('\n');
}

/** `keygate sign --help`: the schemes. */
export function signHelp(schemes: readonly SchemeCommand[]): string {
  return [
    'Usage: keygate sign <scheme> [options]',
    '',
    'Schemes (keygate sign <scheme> --help for each one\'s options)',
    ...schemes.map((s) => `  ${s.name.padEnd(8)} ${s.summary}`),
    '',
  ].join('\n');
}

/** `keygate sign <scheme> --help`. */
export function schemeHelp(scheme: SchemeCommand, options: readonly OptionSpec[]): string {
  return [
    `Usage: keygate sign ${scheme.name} [options]`,
    '',
    `Signs one request for ${scheme.name}: ${scheme.summary}.`,
    '',
    'Options',
    ...optionLines(options),
    '',
    ...scheme.notes,
    '',
    ...SECRET_HELP,
    '',
  ].join('\n');
}
