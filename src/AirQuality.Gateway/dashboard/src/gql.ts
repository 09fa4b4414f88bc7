// GraphQL over HTTP (POST /graphql) and over WebSocket (graphql-transport-ws, via graphql-ws).
import { createClient, type Client } from 'graphql-ws';
import { authFailureOf, authHeaders, connectionInitPayload, type AuthFailure } from './auth';
import { backoffMs } from './backoff';
import { showError } from './banner';

/**
 * Where requests get their API key, and who hears of a read refused for credentials (the gateway in
 * Authenticated mode). Set once by main(); tests set their own.
 */
export interface Credentials {
  apiKey: () => string;
  onReadRefused?: (failure: AuthFailure) => void;
}

let credentials: Credentials = { apiKey: () => '' };

export function setCredentials(c: Credentials): void {
  credentials = c;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly errors: GraphQLErrorEntry[] = [],
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The text of a GraphQL `errors` list: "message (at a.b.0)"; codes from extensions.code. */
export function describeErrors(errors: readonly GraphQLErrorEntry[]): string {
  return errors
    .map((e) => {
      const code = typeof e.extensions?.code === 'string' ? ` [${e.extensions.code}]` : '';
      const at = e.path?.length ? ` (at ${e.path.join('.')})` : '';
      return `${e.message}${code}${at}`;
    })
    .join('; ');
}

/**
 * The sensor index refuses an area that covers more of its tiles than one query may touch ("Area too
 * large: ..."): for the map that means "zoom in", not a failure to report.
 */
export function isAreaTooLarge(errors: readonly GraphQLErrorEntry[]): boolean {
  return errors.length > 0 && errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT' && e.message.startsWith('Area too large'));
}

export function endpointUrls(graphqlPath: string, base: string = document.baseURI): { http: string; ws: string } {
  const http = new URL(graphqlPath, base);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: http.href, ws: ws.href };
}

/**
 * POSTs one operation. Any `errors` in the response are shown in the banner, unless `expected` says the
 * caller handles them; data that came with them (a partial result) is still returned; no data at all throws.
 */
export async function gqlRequest<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  context: string,
  signal?: AbortSignal,
  expected?: (errors: readonly GraphQLErrorEntry[]) => boolean,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json;q=0.9',
        ...authHeaders(credentials.apiKey()),
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const err = new GraphQLRequestError(`network error: ${(e as Error).message}`);
    showError(context, err.message);
    throw err;
  }
  let body: { data?: T | null; errors?: GraphQLErrorEntry[] } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (body?.errors?.length) {
    const msg = describeErrors(body.errors);
    const refused = res.status === 401 || res.status === 403 ? authFailureOf(body.errors, res.status) : null;
    if (expected?.(body.errors)) {
      // the caller says what went wrong
    } else if (refused && !query.trimStart().startsWith('mutation') && credentials.onReadRefused) {
      credentials.onReadRefused(refused); // one "enter a key" banner instead of an error per request
    } else {
      showError(context, res.ok ? msg : `HTTP ${res.status}: ${msg}`);
    }
    if (body.data != null) return body.data;
    throw new GraphQLRequestError(msg, body.errors, res.status);
  }
  if (!res.ok || body?.data == null) {
    const refused = authFailureOf([], res.status);
    if (refused && credentials.onReadRefused && !query.trimStart().startsWith('mutation')) {
      credentials.onReadRefused(refused);
      throw new GraphQLRequestError(`HTTP ${res.status}`, [], res.status);
    }
    const msg = `HTTP ${res.status} ${res.statusText || ''}`.trim() + (body ? '' : ' (not a GraphQL response)');
    showError(context, msg);
    throw new GraphQLRequestError(msg, [], res.status);
  }
  return body.data;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A graphql-ws client that can be told to connect again (with the credentials of the moment). */
export interface LiveClient extends Client {
  /** Closes the socket and connects again at once; subscriptions carry on over the new socket. */
  reconnect(): void;
}

/** graphql-transport-ws close code for an init with wrong credentials, or none where reading needs some. */
export const CLOSE_FORBIDDEN = 4403;

/**
 * A graphql-ws client that connects at once and stays connected: unlimited retries with capped
 * exponential backoff, keep-alive pings, every state change reported. Each connect sends the API key of
 * that moment in connection_init. `webSocketImpl` is for tests under Node.
 */
export function createLiveClient(
  wsUrl: string,
  onState: (s: ConnectionState, detail?: string) => void,
  webSocketImpl?: unknown,
): LiveClient {
  let retries = 0;
  let disposed = false;
  let reconnecting = false;
  const client = createClient({
    url: wsUrl,
    webSocketImpl,
    connectionParams: () => connectionInitPayload(credentials.apiKey()),
    lazy: false,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (n) => {
      retries = n;
      if (reconnecting) {
        // Asked for (a new key): no backoff.
        reconnecting = false;
        onState('reconnecting');
        return;
      }
      const ms = backoffMs(n);
      onState('reconnecting', `retry in ${Math.round(ms / 1000)} s`);
      await new Promise((r) => setTimeout(r, ms));
    },
    on: {
      connecting: () => onState(retries > 0 ? 'reconnecting' : 'connecting'),
      connected: () => {
        retries = 0;
        onState('connected');
      },
      closed: (e) => {
        // Every close but dispose() is retried (retryAttempts is unlimited): say so.
        const ev = e as CloseEvent | undefined;
        const why = ev?.code ? `connection lost, code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}` : 'connection lost';
        if (ev?.code === CLOSE_FORBIDDEN && !disposed) credentials.onReadRefused?.(credentials.apiKey() ? 'FORBIDDEN' : 'UNAUTHENTICATED');
        if (!reconnecting) onState(disposed ? 'closed' : 'reconnecting', why);
      },
    },
  });
  const dispose = client.dispose.bind(client);
  const live = client as LiveClient;
  live.dispose = () => {
    disposed = true;
    return dispose();
  };
  live.reconnect = () => {
    if (disposed) return;
    reconnecting = true;
    client.terminate();
  };
  return live;
}

/** Subscribes; `next` gets each event's data, GraphQL errors go to the banner. Returns the unsubscribe. */
export function gqlSubscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  context: string,
  next: (data: T) => void,
): () => void {
  return client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors?.length) showError(context, describeErrors(r.errors as GraphQLErrorEntry[]));
        if (r.data) next(r.data as T);
      },
      error: (e) => {
        // A socket close is shown as connection state, and graphql-ws retries; GraphQL errors are shown here.
        if (Array.isArray(e)) showError(context, describeErrors(e as GraphQLErrorEntry[]));
        else if (e instanceof Error) showError(context, e.message);
        else if (e && typeof e === 'object' && 'code' in e) showError(context, `subscription closed (code ${(e as CloseEvent).code})`);
        else showError(context, 'subscription failed');
      },
      complete: () => {},
    },
  );
}
