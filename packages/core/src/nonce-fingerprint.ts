import { randomBytes } from 'node:crypto';
import { sipHash13, type SipKey } from './siphash.js';

/**
 * Fixed-size fingerprints of (scope, nonce) for the in-memory nonce store: SipHash-1-3-128 under a key drawn at random
 * when the process starts, so nobody outside the process can craft two nonces with the same fingerprint. The store
 * compares 96 of the 128 bits and places entries by the other 32.
 *
 * Scopes repeat (one per key id) while nonces do not: each scope gets a key derived from the process key once, and a
 * nonce is hashed under its scope's key, so a claim hashes only the nonce.
 */
const processKeys = Array.from({ length: 4 }, () => {
  const bytes = randomBytes(16);
  return Int32Array.of(bytes.readInt32LE(0), bytes.readInt32LE(4), bytes.readInt32LE(8), bytes.readInt32LE(12));
});
// Four keys keep the four encodings apart: a scope read one byte per character or as UTF-16, deriving the key for
// nonces read one byte per character or as UTF-16 (see sipHash13's `wide`).
const SCOPE_ONE_BYTE = 0;
const WIDE_NONCE = 2;

const MAX_CACHED_SCOPES = 4096;
const scopeKeys = new Map<string, SipKey>();
let lastScope: string | undefined;
let lastScopeKey: SipKey | undefined;

/** Writes the 128-bit fingerprint of (scope, nonce) into `out` (four int32 words). */
export function nonceFingerprint(scope: string, nonce: string, out: Int32Array): void {
  // Most claims repeat the previous scope: a string compare is cheaper than hashing the scope for a Map lookup.
  let key = scope === lastScope ? lastScopeKey : scopeKeys.get(scope);
  if (key === undefined) {
    key = derivedKey(SCOPE_ONE_BYTE, scope);
    if (scopeKeys.size >= MAX_CACHED_SCOPES) scopeKeys.clear();
    scopeKeys.set(scope, key);
  }
  lastScope = scope;
  lastScopeKey = key;
  if (!sipHash13(key, nonce, false, out)) sipHash13(derivedKey(WIDE_NONCE, scope), nonce, true, out);
}

function derivedKey(base: number, scope: string): SipKey {
  const key = new Int32Array(4);
  if (!sipHash13(processKeys[base]!, scope, false, key)) sipHash13(processKeys[base + 1]!, scope, true, key);
  return key;
}
