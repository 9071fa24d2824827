/** What every scheme sees of a request, whatever the framework. */
export interface SignedRequest {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** Path with query string, as received. */
  readonly path: string;
  /**
   * One header by lower-case name. A header sent more than once throws a `malformed_credentials` KeygateError
   * rather than being joined, so `X-Salt: a` + `X-Salt: b` can never be read as `a, b`.
   */
  header(name: string): string | undefined;
  /**
   * The exact bytes received (empty for no body), read on first call and cached. Lazy so that a scheme rejects a
   * malformed request on its headers before buffering a large body.
   */
  body(): Promise<Uint8Array>;
}
