/** The environment variable the secret is read from. */
export const SECRET_ENV = 'KEYGATE_SECRET';

/** Standard input as the CLI reads it: a stream of chunks, and whether a terminal is attached. */
export interface SecretInput extends AsyncIterable<string | Uint8Array> {
  readonly isTTY?: boolean;
}

/** A usage mistake: printed as is (it never quotes an argument's value), exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Arguments that would carry a secret on the command line, where `ps` and the shell history show it. */
export function isSecretArgument(arg: string): boolean {
  return arg === '--secret' || arg.startsWith('--secret=');
}

/**
 * The signing secret: from standard input when `fromStdin` (one trailing line break removed, so `echo` and files
 * ending in a newline work), else from `KEYGATE_SECRET`. Never from argv.
 */
export async function readSecret(env: Readonly<Record<string, string | undefined>>, stdin: SecretInput, fromStdin: boolean): Promise<string> {
  let secret: string | undefined;
  if (fromStdin) {
    if (stdin.isTTY === true) {
      throw new UsageError(`--secret-stdin reads a pipe or a file, not the terminal (typing would show the secret): keygate … --secret-stdin < secret-file, or read -rs ${SECRET_ENV} && export ${SECRET_ENV}`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  } else {
    secret = env[SECRET_ENV];
  }
  if (secret === undefined || secret === '') {
    throw new UsageError(fromStdin
      ? 'standard input held no secret'
      : `no secret: set ${SECRET_ENV} (read -rs ${SECRET_ENV} && export ${SECRET_ENV} keeps it out of your shell history), or pipe it in with --secret-stdin`);
  }
  return secret;
}
