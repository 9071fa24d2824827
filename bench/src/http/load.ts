import autocannon from 'autocannon';

/** One request as it goes on the wire: its headers and exact body. */
export interface WireRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Makes request number `index`: signed with a fresh salt, or not signed at all. Runs in the load generator only. */
export type RequestMaker = (index: number) => WireRequest;

/**
 * Requests signed ahead of time, so the load generator does no HMAC while it measures. If a run needs more than
 * were signed, the rest are signed on the fly and counted (`late`), which would show in the report.
 */
export class RequestPool {
  private readonly made: WireRequest[] = [];
  private next = 0;
  private readonly make: RequestMaker;
  late = 0;

  constructor(make: RequestMaker) {
    this.make = make;
  }

  /** Signs until `count` unused requests are waiting. */
  fill(count: number): void {
    const target = this.next + count;
    for (let i = this.made.length; i < target; i++) this.made.push(this.make(i));
  }

  take(): WireRequest {
    const index = this.next++;
    if (index < this.made.length) {
      const request = this.made[index]!;
      this.made[index] = undefined as unknown as WireRequest; // sent once: let it go
      return request;
    }
    this.late++;
    return this.make(index);
  }

  get used(): number {
    return this.next;
  }
}

export interface LoadOptions {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly connections: number;
  /** Seconds; or `amount` requests in all. */
  readonly duration?: number;
  readonly amount?: number;
  readonly pool: RequestPool;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One autocannon run; each request takes the next pre-signed request from the pool (so each salt goes once). */
export function load(options: LoadOptions): Promise<LoadResult> {
  const { pool } = options;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.duration ?? 5 } : { amount: options.amount }),
        timeout: 30,
        requests: [
          {
            method: options.method,
            path: options.path,
            setupRequest: (request) => {
              const next = pool.take();
              return { ...request, headers: { ...request.headers, ...next.headers }, body: next.body };
            },
          },
        ],
      },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error);
        const seconds = result.duration;
        const requests = result['2xx'] + result.non2xx;
        resolve({
          requests,
          seconds,
          rps: requests / seconds,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
        });
      },
    );
  });
}
