/** Quotes one word for a POSIX shell: single quotes keep every byte as is; a single quote is closed, escaped, reopened. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Where curl takes the body from: the exact text, or a file it reads byte for byte when it runs. */
export type CurlBody = { readonly text: string } | { readonly file: string };

/** The parts of one request that make a curl command. */
export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: CurlBody;
}

/**
 * A curl command for a POSIX shell, one option per line. The body goes out unchanged: `--data-raw` does not read a
 * text starting with `@` as a file name, and `--data-binary @file` keeps the newlines that `-d @file` would strip.
 */
export function curlCommand(request: CurlRequest): string {
  const parts = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) {
    parts.push('text' in request.body ? `--data-raw ${shellQuote(request.body.text)}` : `--data-binary @${shellQuote(request.body.file)}`);
  }
  return parts.join(' \\\n  ');
}
