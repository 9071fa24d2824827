import { IncomingMessage } from 'node:http';
import type { Request } from 'express';

interface KeygateFields {
  rawBody?: unknown;
  keygate?: unknown;
}

const fieldsByRequest = new WeakMap<object, KeygateFields>();
/** Per Express base prototype: whether keygate declared the accessors on it (false when someone else had). */
const decoratedBases = new WeakMap<object, boolean>();
const FIELD_NAMES = ['rawBody', 'keygate'] as const;

/**
 * Sets `req.rawBody` and `req.keygate` without adding properties to `req`.
 *
 * Express re-prototypes every request (`Object.setPrototypeOf(req, app.request)`), and V8 then handles each property
 * later added to that object on its slow path: measured under load, the two additions cost the Express gateway about
 * 30 µs of CPU per request, a tenth of its throughput. So, as Fastify's request decorators do, both fields are
 * declared once as accessors on Express's base request prototype (the one directly above `IncomingMessage`, shared
 * by every app and sub-app of that copy of Express), and each request's values live in a WeakMap. Assigning
 * `req.rawBody = buf` (an `express.json({ verify })` hook) still works: the setter stores it the same way.
 *
 * A request that is not an Express one (no such prototype) gets plain properties.
 */
export function setKeygateFields(req: Request, fields: Required<KeygateFields>): void {
  if (!decorate(req)) {
    Object.assign(req, fields);
    return;
  }
  const existing = fieldsByRequest.get(req);
  if (existing === undefined) fieldsByRequest.set(req, fields);
  else Object.assign(existing, fields);
}

function decorate(req: Request): boolean {
  const base = expressBasePrototype(req);
  if (base === undefined) return false;
  let ours = decoratedBases.get(base);
  if (ours === undefined) {
    // Someone else declared one of the names on the prototype: leave theirs, and use plain properties.
    ours = FIELD_NAMES.every((name) => !Object.prototype.hasOwnProperty.call(base, name));
    if (ours) for (const name of FIELD_NAMES) defineField(base, name);
    decoratedBases.set(base, ours);
  }
  // An own property set before the accessors existed (a verify hook on the very first request) would hide them.
  return ours && !Object.prototype.hasOwnProperty.call(req, 'rawBody') && !Object.prototype.hasOwnProperty.call(req, 'keygate');
}

function defineField(base: object, name: keyof KeygateFields): void {
  Object.defineProperty(base, name, {
    configurable: true,
    enumerable: false,
    get(this: object) {
      return fieldsByRequest.get(this)?.[name];
    },
    set(this: object, value: unknown) {
      const existing = fieldsByRequest.get(this);
      if (existing === undefined) fieldsByRequest.set(this, { [name]: value });
      else existing[name] = value;
    },
  });
}

/** The prototype just above IncomingMessage.prototype in req's chain (Express's `request`), if there is one. */
function expressBasePrototype(req: object): object | undefined {
  let proto: object | null = Object.getPrototypeOf(req) as object | null;
  while (proto !== null) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === IncomingMessage.prototype) return proto;
    proto = next;
  }
  return undefined;
}
