import { KeygateError, type ActiveCredential, type Credential } from '@keygate/core';

/**
 * What the secret store holds for one APIKey: its secrets (several during a rotation) and the APEX user that
 * AuthenticateUser returns. Absent user fields are answered as "", false or 0, never null.
 *
 * @example
 * const secrets = new Map<string, KiiexCredential>([
 *   ['my-api-key', { secrets: [process.env.KIIEX_SECRET!], userId: 42, userName: 'alice', accountId: 7, omsId: 1 }],
 * ]);
 */
export interface KiiexCredential extends Credential {
  /** The user the key belongs to: AuthenticateUser's `UserId` must be this (a non-negative integer). */
  readonly userId: number;
  /** The user's name in the `user` object (default ""). */
  readonly userName?: string | undefined;
  /** The user's email in the `user` object (default ""). */
  readonly email?: string | undefined;
  /** Whether the email is verified (default false). */
  readonly emailVerified?: boolean | undefined;
  /** The user's account id (default 0). */
  readonly accountId?: number | undefined;
  /** The order management system id (default 0). */
  readonly omsId?: number | undefined;
  /** Whether the user has two-factor authentication (default false). */
  readonly use2FA?: boolean | undefined;
  /** The static Nonce of the key export; accepted repeatedly only with `allowStaticNonce: true`. */
  readonly nonce?: string | undefined;
}

/** A KiiexCredential as the lookup hands it on: secrets as text, those outside their window neutralised. */
export type ActiveKiiexCredential = ActiveCredential<KiiexCredential>;

/** The `user` object of a successful AuthenticateUser, typed as the Kiiex OpenAPI document types it. */
export interface ApexUser {
  /** The user id. */
  readonly userId: number;
  /** The user name, "" when the credential has none. */
  readonly userName: string;
  /** The email, "" when the credential has none. */
  readonly email: string;
  /** Whether the email is verified. */
  readonly emailVerified: boolean;
  /** The account id, 0 when the credential has none. */
  readonly accountId: number;
  /** The order management system id, 0 when the credential has none. */
  readonly omsId: number;
  /** Whether the user has two-factor authentication. */
  readonly use2FA: boolean;
}

/** A credential from the store, or store_unavailable (503) when it lacks the integer userId everything hangs on. */
export function checkedCredential(credential: ActiveKiiexCredential | undefined): ActiveKiiexCredential | undefined {
  if (credential === undefined) return undefined;
  if (!isUserId(credential.userId)) {
    throw new KeygateError('store_unavailable', 'secret store returned a Kiiex credential without a non-negative integer userId');
  }
  return credential;
}

export function isUserId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function apexUser(credential: ActiveKiiexCredential): ApexUser {
  return {
    userId: credential.userId,
    userName: text(credential.userName),
    email: text(credential.email),
    emailVerified: credential.emailVerified === true,
    accountId: integer(credential.accountId),
    omsId: integer(credential.omsId),
    use2FA: credential.use2FA === true,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function integer(value: unknown): number {
  return Number.isSafeInteger(value) ? (value as number) : 0;
}
