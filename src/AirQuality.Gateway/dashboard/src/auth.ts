// The operator's API key: kept for this tab only (sessionStorage, so a shared kiosk forgets it when the
// tab closes), sent as X-Api-Key on every HTTP request and as {"apiKey": ...} in the WebSocket's
// connection_init. Pure apart from the storage it is given.
import type { GraphQLErrorEntry } from './gql';

export const API_KEY_STORAGE_KEY = 'airquality.apiKey';

/** The part of the Web Storage API the key store uses (sessionStorage in the page, a fake in tests). */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class ApiKeyStore {
  private listeners: ((key: string) => void)[] = [];

  constructor(private readonly storage: KeyStorage | null) {}

  /** The key in use, or '' when none is set. */
  get(): string {
    try {
      return this.storage?.getItem(API_KEY_STORAGE_KEY) ?? '';
    } catch {
      return ''; // storage blocked (privacy settings): no key, not a failure
    }
  }

  /** Keeps a key (surrounding blanks dropped: a pasted key often carries a newline); an empty one forgets. */
  save(key: string): void {
    const trimmed = key.trim();
    if (!trimmed) return this.forget();
    if (trimmed === this.get()) return;
    try {
      this.storage?.setItem(API_KEY_STORAGE_KEY, trimmed);
    } catch {
      // Storage blocked: the key cannot outlive this call, but it is still announced and used below.
    }
    this.notify(trimmed);
  }

  forget(): void {
    const had = this.get() !== '';
    try {
      this.storage?.removeItem(API_KEY_STORAGE_KEY);
    } catch {
      // nothing kept, nothing to remove
    }
    if (had) this.notify('');
  }

  /** Called with the new key ('' when forgotten) whenever it changes. */
  onChange(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }

  private notify(key: string): void {
    for (const l of this.listeners) l(key);
  }
}

/** The page's store: sessionStorage, never localStorage (see the file comment). */
export function sessionKeyStore(): ApiKeyStore {
  let storage: KeyStorage | null = null;
  try {
    storage = globalThis.sessionStorage ?? null;
  } catch {
    storage = null;
  }
  return new ApiKeyStore(storage);
}

/** The headers that carry a key over HTTP: none without one. */
export function authHeaders(key: string): Record<string, string> {
  return key ? { 'X-Api-Key': key } : {};
}

/** The connection_init payload that carries a key over graphql-transport-ws (browsers cannot set socket headers). */
export function connectionInitPayload(key: string): Record<string, string> {
  return key ? { apiKey: key } : {};
}

export type AuthFailure = 'UNAUTHENTICATED' | 'FORBIDDEN';

/** Whether a request was refused for its credentials: by extensions.code, else by HTTP status 401/403. */
export function authFailureOf(errors: readonly GraphQLErrorEntry[], status?: number): AuthFailure | null {
  const codes = errors.map((e) => e.extensions?.code);
  if (codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  if (codes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (errors.length === 0 && status === 403) return 'FORBIDDEN';
  if (errors.length === 0 && status === 401) return 'UNAUTHENTICATED';
  return null;
}

export const isAuthFailure = (errors: readonly GraphQLErrorEntry[]): boolean => authFailureOf(errors) !== null;

/** What the panel says when acknowledging is refused. */
export function acknowledgeFailureMessage(failure: AuthFailure): string {
  return failure === 'FORBIDDEN'
    ? 'This key may not acknowledge alerts (it lacks the operator role).'
    : 'Acknowledging needs an operator API key: enter one under "API key" at the top.';
}

/** What the banner says when reading is refused (the gateway runs with Reading = Authenticated). */
export function readFailureMessage(hasKey: boolean): string {
  return hasKey
    ? 'The gateway refused this API key for reading: check it under "API key" at the top.'
    : 'This gateway needs an API key to show data: enter one under "API key" at the top.';
}
