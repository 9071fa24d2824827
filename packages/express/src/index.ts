import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  createEndpointRunner, createVerifier, writeReply,
  type Endpoint, type KeygateError, type RequestSource, type Scheme, type VerifierOptions,
} from '@keygate/core';
import { setKeygateFields } from './request-state.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The exact bytes received, set by keygate after a successful verification. */
      rawBody?: Buffer;
      /** Set by keygate after a successful verification. */
      keygate?: { readonly scheme: string; readonly principal: unknown };
    }
  }
}

/** Options of the Express `keygate()` middleware: the verifier options (`limit`) and `onError`. */
export interface KeygateExpressOptions extends VerifierOptions {
  /** Answer failures yourself instead of with the vendor's response. */
  readonly onError?: (error: KeygateError, req: Request, res: Response, next: NextFunction) => void;
}

const CONSUMED_HINT =
  'mount keygate before express.json()/express.raw(), or save the bytes with express.json({ verify: (req, res, buf) => { req.rawBody = buf } })';

function source(req: Request, res: Response): RequestSource {
  return { req, res, url: req.originalUrl, saved: req.rawBody, consumedHint: CONSUMED_HINT };
}

/**
 * Express middleware that verifies each request with `scheme`. On success the route gets `req.rawBody` (the exact
 * bytes), `req.body` (parsed JSON for JSON media types) and `req.keygate = { scheme, principal }`.
 *
 * @example
 * app.use('/inqud', keygate(inqud({ secrets })));
 * app.post('/inqud/payout', (req, res) => res.json({ token: req.keygate?.principal }));
 */
export function keygate<P>(scheme: Scheme<P>, options: KeygateExpressOptions = {}): RequestHandler {
  const verifier = createVerifier(scheme, options);
  const { onError } = options;
  return async function keygateMiddleware(req, res, next) {
    const outcome = await verifier.verify(source(req, res));
    if (outcome.ok) {
      req.body = outcome.body;
      setKeygateFields(req, { rawBody: outcome.rawBody, keygate: { scheme: scheme.name, principal: outcome.principal } });
      next();
    } else if (onError) {
      onError(outcome.error, req, res, next);
    } else {
      writeReply(res, outcome.reply);
    }
  };
}

/**
 * Express handler for an endpoint that owns its reply (Kiiex AuthenticateUser, LogOut), with keygate's body handling.
 *
 * @example
 * app.post('/kiiex/AuthenticateUser', keygateEndpoint(kiiex.authenticateUser));
 */
export function keygateEndpoint(endpoint: Endpoint, options: VerifierOptions = {}): RequestHandler {
  const runner = createEndpointRunner(endpoint, options);
  return async function keygateEndpointHandler(req, res) {
    const { reply } = await runner.handle(source(req, res));
    writeReply(res, reply);
  };
}
