import { KeygateError } from './errors.js';
import { ExpirySlices } from './expiry-slices.js';
import { FingerprintTable, FULL, INSERTED } from './fingerprint-table.js';
import { nonceFingerprint } from './nonce-fingerprint.js';
import { clockOption, parseByteLimit, positiveInteger, type Clock } from './options.js';
import type { MaybePromise } from './secret-store.js';

/**
 * Remembers nonces (salts, signatures) so each verifies once. `claim` is atomic: true for the first use of
 * `nonce` in `scope` within `ttlMs`, false for a replay.
 */
export interface NonceStore {
  /** Claims `nonce` in `scope` for `ttlMs`: true for the first use, false for a replay. Throws or rejects to fail closed. */
  claim(scope: string, nonce: string, ttlMs: number): MaybePromise<boolean>;
}

/** How full a memory nonce store is, for metrics and readiness checks. */
export interface NonceStoreUsage {
  /** Live nonces held now. */
  readonly nonces: number;
  /** Live nonces it holds at most; past this, new claims fail closed with `store_unavailable`. */
  readonly capacity: number;
  /** Bytes of the budget written so far, i.e. resident (it follows the live nonces, up to `maxBytes`). */
  readonly bytes: number;
  /** The memory budget (`maxBytes`). */
  readonly maxBytes: number;
  /** `nonces / capacity`, from 0 to 1. */
  readonly fill: number;
}

/** A NonceStore in this process's memory, with its fill level readable. */
export interface MemoryNonceStore extends NonceStore {
  /** As `NonceStore.claim`, answered synchronously. */
  claim(scope: string, nonce: string, ttlMs: number): boolean;
  /** How full the store is now. */
  usage(): NonceStoreUsage;
}

/** Options of `memoryNonceStore`. */
export interface MemoryNonceStoreOptions {
  /**
   * Memory budget for the nonces, in bytes or as '64mb' (default 256 MiB, about 15 million live nonces). Memory is
   * reserved as virtual memory at construction and becomes resident as nonces arrive, about 20 bytes each at ten
   * million, and never beyond this.
   */
  readonly maxBytes?: number | string;
  /**
   * Expiry granularity in ms (default 10 000): nonces expire a whole slice at a time, so a nonce is kept for its
   * ttl and at most one slice longer.
   */
  readonly sliceMs?: number;
  /** Clock for expiries, epoch milliseconds (default `Date.now`). */
  readonly now?: Clock;
}

/** The default memory budget: 256 MiB, about 15 million live nonces. */
export const DEFAULT_NONCE_STORE_BYTES = 256 * 1024 * 1024;
const DEFAULT_SLICE_MS = 10_000;
const WARN_FILL = 0.8;
/** Below this fill the 80 % and 100 % warnings are armed again. */
const REARM_FILL = 0.7;

/**
 * A bounded in-process nonce store that keeps fixed-size fingerprints, not the nonces: 96 bits of a keyed
 * SipHash-1-3 of (scope, nonce) under a key drawn when the process starts, so nobody can craft two nonces that
 * collide, and a false "replayed" is practically impossible (about one in 2^96 per pair of live nonces).
 *
 * It never forgets a live nonce to make room: forgetting one would let its replay through, so past its budget it
 * refuses new claims with `store_unavailable` (503) until nonces expire. It says so once in the process log at 80 %
 * and once at 100 % (a `KEYGATE_NONCE_STORE_FILL` warning). For several processes use `@keygate/redis`.
 *
 * @example
 * const nonces = memoryNonceStore({ maxBytes: '64mb' });
 * setInterval(() => gauge.set(nonces.usage().fill), 10_000);
 */
export function memoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  const maxBytes = parseByteLimit('maxBytes', options.maxBytes, DEFAULT_NONCE_STORE_BYTES);
  const slices = new ExpirySlices(positiveInteger('sliceMs', options.sliceMs, DEFAULT_SLICE_MS));
  const now = clockOption(options.now);
  const table = new FingerprintTable(maxBytes);
  const { capacity } = table;
  const warnAt = Math.ceil(capacity * WARN_FILL);
  const rearmBelow = Math.floor(capacity * REARM_FILL);
  const fingerprint = new Int32Array(4);
  let warnedHigh = false;
  let warnedFull = false;

  const warn = (what: string): void => {
    process.emitWarning(
      `keygate nonce store is ${what}: ${slices.live} of ${capacity} live nonces in a ${maxBytes}-byte budget. ` +
        'When full it refuses new claims with store_unavailable (503): raise maxBytes, shorten retention, or keep replay state in Redis (@keygate/redis)',
      { code: 'KEYGATE_NONCE_STORE_FILL' },
    );
  };

  return {
    claim(scope, nonce, ttlMs) {
      if (!(ttlMs > 0)) throw new TypeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
      const current = slices.advance(now());
      if (slices.live < rearmBelow) warnedHigh = warnedFull = false;
      nonceFingerprint(scope, nonce, fingerprint);
      const expiry = slices.expiryAfter(ttlMs);
      const result = table.claim(fingerprint[0]!, fingerprint[1]!, fingerprint[2]!, fingerprint[3]!, expiry, current, slices.live < capacity);
      if (result === INSERTED) {
        slices.add(expiry);
        if (!warnedHigh && slices.live >= warnAt) {
          warnedHigh = true;
          warn(`${Math.round(WARN_FILL * 100)} % full`);
        }
        return true;
      }
      if (result !== FULL) return false;
      if (!warnedFull) {
        warnedFull = warnedHigh = true;
        warn('full');
      }
      throw new KeygateError('store_unavailable', `nonce store is full (${slices.live} live nonces in ${maxBytes} bytes); refusing rather than forgetting one`);
    },
    usage() {
      slices.advance(now());
      return { nonces: slices.live, capacity, bytes: table.bytes, maxBytes, fill: slices.live / capacity };
    },
  };
}
