import { KeygateError } from '@keygate/core';

/**
 * One header of a Fetch `Headers` object, refusing a repeated one. `Headers` joins a header sent more than once into
 * one value with ", " and cannot give the values apart, so a value holding ", " is refused as a repeat
 * (`malformed_credentials`): `X-Salt: a` + `X-Salt: b` can never be read as the salt "a, b". No value keygate reads
 * legitimately holds ", ": auth headers must be visible ASCII without spaces (core's `authHeader`), and the schemes'
 * JSON media types carry no list. A value with a bare "," is a single value, as it is on Node.
 *
 * @example
 * singleHeader(new Headers([['X-Salt', 'a'], ['X-Salt', 'b']]), 'x-salt');   // throws malformed_credentials
 */
export function singleHeader(headers: Headers, name: string): string | undefined {
  const value = headers.get(name);
  if (value === null) return undefined;
  // The same words as on Node, so every adapter answers a repeat alike; a single value holding ", " gets them too.
  if (value.includes(', ')) throw new KeygateError('malformed_credentials', `${name} header was sent more than once`);
  return value;
}
