import { KeygateError, isKeygateError } from './errors.js';
import type { MaybePromise } from './secret-store.js';

/**
 * Calls a store and fails closed: a throw, a rejection or an answer slower than `timeoutMs` becomes
 * `store_unavailable` (503), never an accept. Synchronous answers skip the timer entirely.
 */
export function callStore<T, R = T>(
  what: string,
  call: () => MaybePromise<T>,
  timeoutMs: number,
  check: (value: T) => R = (value) => value as unknown as R,
): MaybePromise<R> {
  let result: MaybePromise<T>;
  try {
    result = call();
  } catch (error) {
    throw unavailable(what, error);
  }
  if (!isPromiseLike(result)) return check(result);
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new KeygateError('store_unavailable', `${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    result.then(
      (value) => {
        clearTimeout(timer);
        try {
          resolve(check(value));
        } catch (error) {
          reject(unavailable(what, error));
        }
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(unavailable(what, error));
      },
    );
  });
}

function unavailable(what: string, error: unknown): KeygateError {
  if (isKeygateError(error)) return error;
  return new KeygateError('store_unavailable', `${what} failed; the request was refused`, { cause: error });
}

function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === 'function';
}
