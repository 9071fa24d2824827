import { createHash } from 'node:crypto';
import { clockOption, KeygateError, positiveInteger, type Clock, type NonceStore } from '@keygate/core';
import { prefixOption, redisCommand, type RedisCommandClient, type RedisStoreOptions } from './client.js';

/** Bytes of SHA-256 kept per nonce: 96 bits. */
const FINGERPRINT_BYTES = 12;
/** Expiry slices a claim looks in: every slice in which a live entry of its retention family can end. */
const SLICES = 9;
const DEFAULT_BUCKETS = 4096;
const MAX_BUCKETS = 65_536;

/**
 * The default nonce key prefix. Short, because every hash key carries it; the fingerprints inside never do.
 */
export const DEFAULT_NONCE_PREFIX = 'kg';

/** Options of `redisNonceStore`. */
export interface RedisNonceStoreOptions extends RedisStoreOptions {
  /**
   * Hashes per expiry slice, a power of two up to 65 536 (default 4096). Each also names a hash tag, so a cluster
   * spreads them over its masters. Enough buckets keep each hash within Redis's compact encoding (at most
   * `hash-max-listpack-entries` fields, 512 on Redis 7): at least the peak live nonces / 2000.
   */
  readonly buckets?: number;
  /** Clock for slices and expiries, epoch milliseconds (default `Date.now`). */
  readonly now?: Clock;
}

/**
 * The 96-bit fingerprint of (scope, nonce) the Redis store keeps: the first 12 bytes of SHA-256 over the scope's
 * length, the scope and the nonce (UTF-16LE, so every JavaScript string has one encoding). The same in every
 * process, so a nonce claimed by one is refused by all; it never holds the scope or the nonce.
 *
 * @example
 * nonceFingerprint('inqud:TKN-…', salt).byteLength; // 12
 */
export function nonceFingerprint(scope: string, nonce: string): Buffer {
  const digest = createHash('sha256').update(`${scope.length}:`).update(scope, 'utf16le').update(nonce, 'utf16le').digest();
  return Buffer.from(digest.subarray(0, FINGERPRINT_BYTES));
}

/**
 * How long one expiry slice of a retention lasts: the largest power of two of milliseconds at most a quarter of it.
 * Retentions within a factor of two of each other share slices (one family of keys).
 */
export function sliceMs(ttlMs: number): number {
  let slice = 1;
  while (slice * 2 <= ttlMs / 4) slice *= 2;
  return slice;
}

/** Where a claim made at `nowMs` keeps its nonce: the hash key and the field in it. */
export interface NonceLocation {
  /** `<prefix>{<bucket>}<family>:<slice>`, ASCII: the hash of the bucket's entries whose retention ends in that slice. */
  readonly key: string;
  /** The 12-byte fingerprint. */
  readonly field: Buffer;
}

/**
 * The hash and field a claim of (scope, nonce) with retention `ttlMs` at `nowMs` writes. Exported for operators
 * (find where a salt is kept) and tests; the bucket is also the key's hash tag, which picks its cluster slot.
 *
 * @example
 * const { key, field } = nonceLocation('inqud:TKN-…', salt, 86_400_000);
 * await client.sendCommand(['HEXISTS', key, field]);
 */
export function nonceLocation(scope: string, nonce: string, ttlMs: number, nowMs = Date.now(), options: RedisNonceStoreOptions = {}): NonceLocation {
  const field = nonceFingerprint(scope, nonce);
  const { stem, end } = claimSlices(keyLayout(options), field, ttlMs, nowMs);
  return { key: stem + end.toString(36), field };
}

/** Names the hashes of a fingerprint: `stem(field, slice)` + a slice's index in base 36. */
type KeyLayout = (field: Buffer, slice: number) => string;

function keyLayout(options: RedisNonceStoreOptions): KeyLayout {
  const prefix = prefixOption(options.prefix, DEFAULT_NONCE_PREFIX);
  const buckets = positiveInteger('buckets', options.buckets, DEFAULT_BUCKETS);
  if (buckets > MAX_BUCKETS || (buckets & (buckets - 1)) !== 0) throw new TypeError(`buckets must be a power of two up to ${MAX_BUCKETS}`);
  return (field, slice) => `${prefix}{${(field.readUInt16BE(0) & (buckets - 1)).toString(36)}}${Math.log2(slice)}:`;
}

/**
 * The slices of a claim at `now` with retention `ttlMs`: from `first`, the oldest that can still hold a live entry,
 * to `end`, the one this claim's retention ends in; and the stem of their hashes' names.
 */
function claimSlices(layout: KeyLayout, field: Buffer, ttlMs: number, now: number) {
  const ttl = Math.max(1, Math.ceil(ttlMs));
  const slice = sliceMs(ttl);
  return { slice, first: Math.floor(now / slice), end: Math.floor((now + ttl) / slice), stem: layout(field, slice) };
}

/**
 * Refuses a fingerprint present in any of the slices given (KEYS), else adds it to the slice its retention ends in
 * (KEYS[ARGV[2]]) and lets that hash expire when the slice ends (ARGV[3] ms from now). One script: atomic on the node.
 */
const CLAIM_SCRIPT = `for i = 1, #KEYS do
  if redis.call('HEXISTS', KEYS[i], ARGV[1]) == 1 then return 0 end
end
local target = KEYS[tonumber(ARGV[2])]
redis.call('HSET', target, ARGV[1], '1')
redis.call('PEXPIRE', target, ARGV[3])
return 1`;
const CLAIM_SHA = createHash('sha1').update(CLAIM_SCRIPT).digest('hex');

/**
 * A NonceStore on Redis, shared by every process that uses the same Redis. Nonces are kept as 96-bit fingerprints (see
 * `nonceFingerprint`) in small hashes, one per bucket and expiry slice, each expiring as a whole when its slice ends:
 * no key per nonce, so no per-key overhead per nonce. A claim is one script (`EVALSHA`, atomic on its node) that looks
 * in every slice a live twin could be in and adds the fingerprint to the slice its retention ends in; of several
 * processes or concurrent requests claiming one nonce, exactly one wins. A nonce is kept at least its retention and at
 * most a slice (a quarter of it or less) longer. Works with a single client (`createClient`) and with a Redis Cluster
 * (`createCluster`): every slice of a bucket shares its hash tag, so one node answers a claim.
 *
 * Time is this process's clock, never going back within the process: processes sharing a Redis must agree on the
 * time within a slice (an eighth of the retention or more).
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).on('error', log).connect();
 * const scheme = inqud({ secrets, nonces: redisNonceStore(client) });
 */
export function redisNonceStore(client: RedisCommandClient, options: RedisNonceStoreOptions = {}): NonceStore {
  const layout = keyLayout(options);
  const command = redisCommand(client, options, 'redis nonce store');
  const clock = clockOption(options.now);
  let latest = 0;
  return {
    async claim(scope, nonce, ttlMs) {
      const now = (latest = Math.max(latest, clock()));
      const field = nonceFingerprint(scope, nonce);
      const { slice, first, end, stem } = claimSlices(layout, field, ttlMs, now);
      const keys = Array.from({ length: SLICES }, (_, i) => stem + (first + i).toString(36));
      const tail = [field, String(end - first + 1), String((end + 1) * slice - now)];
      const reply = await command(keys[0]!, ['EVALSHA', CLAIM_SHA, String(SLICES), ...keys, ...tail]).catch((error: unknown) => {
        // A server that has not seen the script yet (first use, or restarted): send it whole, which also caches it.
        if (!isNoScript(error)) throw error;
        return command(keys[0]!, ['EVAL', CLAIM_SCRIPT, String(SLICES), ...keys, ...tail]);
      });
      return reply === 1;
    },
  };
}

function isNoScript(error: unknown): boolean {
  return error instanceof KeygateError && String((error.cause as { message?: unknown } | undefined)?.message).startsWith('NOSCRIPT');
}
