// Provokes each refusal of the gateway's graphql-transport-ws transport with the npm `ws` client and prints,
// as one JSON object, the close code the client saw for each. Run by CloseCodeTests (NODE_PATH points at the
// dashboard's node_modules):
//   node close-codes.cjs <host url> <reader api key> <rate-limited api key> <permits of the rate limit>
'use strict';
const WebSocket = require('ws');

const [base, readerKey, limitedKey, permitsText] = process.argv.slice(2);
if (!base || !readerKey || !limitedKey || !permitsText) {
  console.error('usage: node close-codes.cjs <host url> <reader key> <limited key> <permits>');
  process.exit(2);
}
const url = `${base.replace(/^http/, 'ws')}/graphql`;
const permits = Number(permitsText);
const send = (ws, message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message));

// A connection whose messages can be awaited one by one, and whose close (code, reason) is a promise.
function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    const queue = [];
    const waiting = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (waiting.length > 0) waiting.shift()(message); else queue.push(message);
    });
    const closed = new Promise((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    const next = () => new Promise((done, fail) => {
      if (queue.length > 0) return done(queue.shift());
      const timer = setTimeout(() => fail(new Error('no message within 15 s')), 15_000);
      waiting.push((message) => { clearTimeout(timer); done(message); });
    });
    ws.on('open', () => resolve({ ws, next, closed }));
    ws.on('error', reject);
  });
}

async function initialised(key = readerKey) {
  const connection = await connect();
  send(connection.ws, { type: 'connection_init', payload: { apiKey: key } });
  const ack = await connection.next();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return connection;
}

const alertChanged = 'subscription { alertChanged(sensorId: "close-codes") { id } }';

const cases = {
  'invalid-message': async () => { const c = await initialised(); send(c.ws, 'not json'); return c.closed; },
  'init-payload-not-an-object': async () => { const c = await connect(); send(c.ws, { type: 'connection_init', payload: 'key' }); return c.closed; },
  'binary-message': async () => { const c = await initialised(); c.ws.send(Buffer.from([1, 2, 3])); return c.closed; },
  'subscribe-before-ack': async () => {
    const c = await connect();
    send(c.ws, { id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    return c.closed;
  },
  'init-without-credentials': async () => { const c = await connect(); send(c.ws, { type: 'connection_init' }); return c.closed; },
  'init-with-a-wrong-key': async () => { const c = await connect(); send(c.ws, { type: 'connection_init', payload: { apiKey: 'not-a-key' } }); return c.closed; },
  'no-init': async () => (await connect()).closed,
  'duplicate-id': async () => {
    const c = await initialised();
    send(c.ws, { id: 'dup', type: 'subscribe', payload: { query: alertChanged } });
    send(c.ws, { id: 'dup', type: 'subscribe', payload: { query: alertChanged } });
    return c.closed;
  },
  'second-init': async () => { const c = await initialised(); send(c.ws, { type: 'connection_init' }); return c.closed; },
  'message-too-big': async () => { const c = await initialised(); send(c.ws, { type: 'ping', payload: 'x'.repeat(70 * 1024) }); return c.closed; },
  'client-closes': async () => { const c = await initialised(); c.ws.close(1000, 'done'); return c.closed; },
  // Five operations more than the key's budget: each answered, the extra ones with a RATE_LIMITED error.
  'rate-limited': async () => {
    const c = await initialised(limitedKey);
    const total = permits + 5;
    for (let i = 0; i < total; i++) send(c.ws, { id: `q${i}`, type: 'subscribe', payload: { query: '{ __typename }' } });
    let completed = 0;
    let refused = 0;
    while (completed + refused < total) {
      const message = await c.next();
      if (message.type === 'complete') completed++;
      if (message.type === 'error' && message.payload?.[0]?.extensions?.code === 'RATE_LIMITED') refused++;
      else if (message.type === 'error') throw new Error(`unexpected error ${JSON.stringify(message)}`);
    }
    send(c.ws, { type: 'ping' });
    const pong = (await c.next()).type === 'pong';
    c.ws.close(1000, 'done');
    return { ...(await c.closed), completed, refused, pong };
  },
};

(async () => {
  const results = {};
  await Promise.all(Object.entries(cases).map(async ([name, run]) => {
    try {
      results[name] = await Promise.race([
        run(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('no close within 20 s')), 20_000)),
      ]);
    } catch (error) {
      results[name] = { code: -1, error: String(error?.message ?? error) };
    }
  }));
  console.log(JSON.stringify(results));
  process.exit(0);
})();
