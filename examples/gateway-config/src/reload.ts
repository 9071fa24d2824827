import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Endpoint, Scheme, VerifierOptions } from '@keygate/core';
import type { Logger } from 'pino';
import { parseCredentials, type Credentials } from './credentials.js';
import type { GatewayRoute } from './route.js';

/** Routes mounted once whose schemes and endpoints are swapped, all at once, for ones built from new credentials. */
export interface ReloadableRoutes {
  /** What the framework mounts; stable for the life of the gateway. */
  readonly routes: readonly GatewayRoute[];
  /** Makes `next` (built from new credentials, same prefixes and endpoints) serve every request from now on. */
  replace(next: readonly GatewayRoute[]): void;
}

/**
 * Wraps built routes in stable ones that delegate to the current build. A request picks the build when its
 * verification starts and keeps it to the end (`verify` and `handle` are one call on that build), so requests in
 * flight finish on the credentials they started with while new requests see the new ones. `replace` swaps every
 * route in one synchronous loop: no request can see some routes old and others new. `options` (an `onAudit`
 * hook) is attached to each route for the adapters to pass through.
 *
 * @example
 * const reloadable = reloadableRoutes(gatewayRoutes(context), { onAudit });
 * const server = factory(reloadable.routes, ops);
 * reloadable.replace(gatewayRoutes({ ...context, config: { ...config, credentials: next } }));
 */
export function reloadableRoutes(initial: readonly GatewayRoute[], options: VerifierOptions = {}): ReloadableRoutes {
  const current = initial.map((route) => ({ route }));
  return {
    routes: current.map((slot) => stableRoute(slot, options)),
    replace(next) {
      const mismatch = next.length !== current.length || next.some((route, i) => shape(route) !== shape(current[i]!.route));
      if (mismatch) throw new Error('the rebuilt routes do not match the mounted ones (prefixes, schemes, endpoints)');
      next.forEach((route, i) => (current[i]!.route = route));
    },
  };
}

function stableRoute(slot: { route: GatewayRoute }, options: VerifierOptions): GatewayRoute {
  const { prefix, scheme, endpoints, emptyReplies } = slot.route;
  const delegate: Scheme<unknown> = {
    name: scheme.name,
    readsBody: scheme.readsBody,
    ...(scheme.keyIdHeader !== undefined ? { keyIdHeader: scheme.keyIdHeader } : {}),
    verify: (req) => slot.route.scheme.verify(req),
    // A scheme's reply to an error depends on the error alone, the same for every build.
    reject: (error) => slot.route.scheme.reject(error),
  };
  return {
    prefix,
    scheme: delegate,
    ...(endpoints !== undefined
      ? { endpoints: endpoints.map(({ method, path, endpoint }, i) => ({ method, path, endpoint: stableEndpoint(endpoint, () => slot.route.endpoints![i]!.endpoint) })) }
      : {}),
    ...(emptyReplies !== undefined ? { emptyReplies } : {}),
    options,
  };
}

function stableEndpoint(first: Endpoint, current: () => Endpoint): Endpoint {
  return {
    name: first.name,
    ...(first.keyIdHeader !== undefined ? { keyIdHeader: first.keyIdHeader } : {}),
    handle: (req) => current().handle(req),
    reject: (error) => current().reject(error),
  };
}

function shape(route: GatewayRoute): string {
  const endpoints = (route.endpoints ?? []).map((e) => `${e.method} ${e.path} ${e.endpoint.name}`);
  return [route.prefix, route.scheme.name, route.scheme.readsBody, ...endpoints].join('|');
}

/** Reloads the credentials file into a gateway, on demand (SIGHUP) and, when asked, whenever the file changes. */
export interface CredentialsReloader {
  /** Reads, checks and applies the file; on any failure keeps the current set and logs one line. True when applied. */
  reload(trigger: string): boolean;
  /** Stops watching the file. */
  close(): void;
}

/** How long the file must be quiet before a change is read: an editor's save is several writes and renames. */
const SETTLE_MS = 100;

/**
 * Keeps a gateway's credentials in step with its file. `apply` builds and installs the new set and throws when it
 * cannot (the current set then stays). A failed reload logs one line saying why (the entry and rule, never a
 * secret); a successful one logs the number of keys per vendor. With `watch`, the file's directory is watched
 * (this also catches a file replaced by rename, as editors and Kubernetes ConfigMaps do), and a reload runs once
 * the changes settle and only if the content differs from what was last read.
 *
 * @example
 * const reloader = credentialsReloader({ path, watch: true, logger, apply: (c) => routes.replace(build(c)) });
 * process.on('SIGHUP', () => reloader.reload('SIGHUP'));
 */
export function credentialsReloader(options: {
  readonly path: string;
  readonly watch: boolean;
  readonly logger: Logger;
  readonly apply: (credentials: Credentials) => void;
}): CredentialsReloader {
  const { path, logger, apply } = options;
  // What is in use now (read just after start-up), so a change event that leaves the content as it was is ignored.
  let lastDigest = digestOf(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;

  // A reload's one line is for the operator who just sent SIGHUP or saved the file: written at once, not batched.
  const reload = (trigger: string, onlyIfChanged = false): boolean => {
    const applied = attempt(trigger, onlyIfChanged);
    logger.flush();
    return applied;
  };
  const attempt = (trigger: string, onlyIfChanged: boolean): boolean => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if (onlyIfChanged && lastDigest === 'unreadable') return false;
      lastDigest = 'unreadable';
      logger.error({ trigger, path }, `credentials reload failed, keeping the current set: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return false;
    }
    const digest = sha256(text);
    if (onlyIfChanged && digest === lastDigest) return false;
    lastDigest = digest;
    let credentials: Credentials;
    try {
      credentials = parseCredentials(text, path);
      apply(credentials);
    } catch (error) {
      logger.error({ trigger, path }, `credentials reload failed, keeping the current set: ${(error as Error).message}`);
      return false;
    }
    const keys = Object.entries(credentials).map(([vendor, entries]) => `${vendor} ${new Set(entries.map(keyIdOf)).size}`);
    logger.info({ trigger, path }, `credentials reloaded from ${path}: ${keys.join(', ')} keys`);
    return true;
  };

  if (options.watch) {
    try {
      watcher = watch(dirname(path), { persistent: false }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => reload('file change', true), SETTLE_MS);
        timer.unref();
      });
      watcher.on('error', (error) => logger.warn(`stopped watching ${path} (${error.message}); SIGHUP still reloads it`));
    } catch (error) {
      logger.warn(`cannot watch ${path} (${(error as Error).message}); SIGHUP still reloads it`);
    }
  }
  return {
    reload: (trigger) => reload(trigger),
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

function keyIdOf(entry: object): unknown {
  const fields = entry as Record<string, unknown>;
  return fields['tokenId'] ?? fields['id'] ?? fields['apiKey'];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function digestOf(path: string): string {
  try {
    return sha256(readFileSync(path, 'utf8'));
  } catch {
    return 'unreadable';
  }
}
