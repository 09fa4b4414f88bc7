import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  API_KEY_STORAGE_KEY,
  ApiKeyStore,
  acknowledgeFailureMessage,
  authFailureOf,
  authHeaders,
  connectionInitPayload,
  sessionKeyStore,
  type KeyStorage,
} from '../src/auth';
import shippedConfig from '../public/config.json?raw';
import { DEFAULT_CONFIG, fileSettings, mergeConfig } from '../src/config';
import { GraphQLRequestError, createLiveClient, gqlRequest, setCredentials } from '../src/gql';

function memoryStorage(): KeyStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCredentials({ apiKey: () => '' });
});

describe('API key store', () => {
  it('keeps a saved key (trimmed) and forgets it', () => {
    const storage = memoryStorage();
    const store = new ApiKeyStore(storage);
    const seen: string[] = [];
    store.onChange((k) => seen.push(k));

    expect(store.get()).toBe('');
    store.save('  k-123\n');
    expect(store.get()).toBe('k-123');
    expect(storage.items.get(API_KEY_STORAGE_KEY)).toBe('k-123');

    store.forget();
    expect(store.get()).toBe('');
    expect(storage.items.has(API_KEY_STORAGE_KEY)).toBe(false);
    expect(seen).toEqual(['k-123', '']);
  });

  it('saving the same key again or an empty key changes nothing but forgets', () => {
    const store = new ApiKeyStore(memoryStorage());
    const seen: string[] = [];
    store.onChange((k) => seen.push(k));
    store.save('a');
    store.save('a');
    store.save('   ');
    expect(seen).toEqual(['a', '']);
  });

  it('the page keeps the key in sessionStorage, never in localStorage', () => {
    const session = memoryStorage();
    const local = memoryStorage();
    vi.stubGlobal('sessionStorage', session);
    vi.stubGlobal('localStorage', local);
    sessionKeyStore().save('kiosk-key');
    expect(session.items.get(API_KEY_STORAGE_KEY)).toBe('kiosk-key');
    expect(local.items.size).toBe(0);
  });

  it('blocked storage means no key, not a failure', () => {
    const throwing: KeyStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = new ApiKeyStore(throwing);
    expect(() => store.save('x')).not.toThrow();
    expect(store.get()).toBe('');
  });
});

describe('credentials on the wire', () => {
  it('X-Api-Key only with a key; connection_init carries {apiKey}', () => {
    expect(authHeaders('')).toEqual({});
    expect(authHeaders('k')).toEqual({ 'X-Api-Key': 'k' });
    expect(connectionInitPayload('')).toEqual({});
    expect(connectionInitPayload('k')).toEqual({ apiKey: 'k' });
  });

  it('every HTTP request sends the key of the moment', async () => {
    const sent: Headers[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return new Response(JSON.stringify({ data: { ok: true } }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    let key = '';
    setCredentials({ apiKey: () => key });
    await gqlRequest('http://127.0.0.1/graphql', '{ ok }', {}, 'test');
    key = 'operator-key';
    await gqlRequest('http://127.0.0.1/graphql', '{ ok }', {}, 'test');
    expect(sent[0].has('X-Api-Key')).toBe(false);
    expect(sent[1].get('X-Api-Key')).toBe('operator-key');
  });

  it('connection_init carries the key, and a reconnect carries the new one', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'graphql-transport-ws' });
    await new Promise<void>((resolve) => server.on('listening', resolve));
    const inits: unknown[] = [];
    const initSeen: (() => void)[] = [];
    server.on('connection', (socket) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'connection_init') {
          inits.push(message.payload ?? null);
          socket.send(JSON.stringify({ type: 'connection_ack' }));
          initSeen.shift()?.();
        }
      });
    });
    const nextInit = () => new Promise<void>((resolve) => initSeen.push(resolve));
    let key = 'first-key';
    setCredentials({ apiKey: () => key });
    const firstInit = nextInit();
    const client = createLiveClient(`ws://127.0.0.1:${server.address().port}/graphql`, () => {}, WebSocket);
    try {
      await firstInit;
      key = 'second-key';
      const secondInit = nextInit();
      client.reconnect();
      await secondInit;
      expect(inits).toEqual([{ apiKey: 'first-key' }, { apiKey: 'second-key' }]);
    } finally {
      await client.dispose();
      server.close();
    }
  }, 10_000);
});

describe('refusals', () => {
  it('codes and statuses', () => {
    expect(authFailureOf([{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }], 401)).toBe('UNAUTHENTICATED');
    expect(authFailureOf([{ message: 'x', extensions: { code: 'FORBIDDEN' } }], 403)).toBe('FORBIDDEN');
    expect(authFailureOf([], 401)).toBe('UNAUTHENTICATED');
    expect(authFailureOf([{ message: 'x', extensions: { code: 'BAD_USER_INPUT' } }], 200)).toBeNull();
  });

  it('the panel messages say what to do', () => {
    expect(acknowledgeFailureMessage('UNAUTHENTICATED')).toMatch(/^Acknowledging needs an operator API key/);
    expect(acknowledgeFailureMessage('FORBIDDEN')).toMatch(/^This key may not acknowledge alerts/);
  });

  it('a mutation refused with 401 throws with its code, shown to no banner when expected', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ errors: [{ message: 'this operation needs an API key', extensions: { code: 'UNAUTHENTICATED' } }] }), {
        status: 401,
        headers: { 'content-type': 'application/graphql-response+json' },
      }),
    );
    const shown = vi.fn();
    setCredentials({ apiKey: () => '', onReadRefused: shown });
    const failure = await gqlRequest('http://127.0.0.1/graphql', 'mutation { a }', {}, 'ack', undefined, () => true).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect(authFailureOf((failure as GraphQLRequestError).errors, (failure as GraphQLRequestError).status)).toBe('UNAUTHENTICATED');
    expect(shown).not.toHaveBeenCalled();
  });

  it('a read refused with 401 asks for a key', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ errors: [{ message: 'reading needs an API key or token', extensions: { code: 'UNAUTHENTICATED' } }] }), {
        status: 401,
        headers: { 'content-type': 'application/graphql-response+json' },
      }),
    );
    const shown = vi.fn();
    setCredentials({ apiKey: () => '', onReadRefused: shown });
    await expect(gqlRequest('http://127.0.0.1/graphql', 'query { a }', {}, 'read')).rejects.toBeInstanceOf(GraphQLRequestError);
    expect(shown).toHaveBeenCalledWith('UNAUTHENTICATED');
  });
});

describe('shipped config.json', () => {
  it('its empty tile settings leave the meta tags standing', () => {
    const fromMeta = mergeConfig(DEFAULT_CONFIG, { tileUrl: '/tiles/{z}/{x}/{y}.png' });
    const merged = mergeConfig(fromMeta, fileSettings({ tileUrl: '', tileAttribution: '', zoom: 5 }));
    expect(merged.tileUrl).toBe('/tiles/{z}/{x}/{y}.png');
    expect(merged.zoom).toBe(5);
  });

  it('is the defaults', () => {
    const shipped = JSON.parse(shippedConfig);
    expect(mergeConfig(DEFAULT_CONFIG, shipped)).toEqual(DEFAULT_CONFIG);
    expect(shipped.tileUrl).toBe('');
  });
});
