// Conformance check of the gateway with clients nobody here wrote: the `graphql-ws` npm client (the
// reference client of the graphql-transport-ws protocol) and a plain `fetch` client following the
// GraphQL-over-HTTP spec. Run by tests/AirQuality.Gateway.Tests against a real host:
//   node conformance/clients.mjs http://127.0.0.1:PORT
// Prints one JSON line of what it saw; exits 0 only when every check passed.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.argv[2];
if (!base) {
  console.error('usage: node conformance/clients.mjs <host url>');
  process.exit(2);
}

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const sensorId = `conf-${Date.now()}`;

async function postReading(pm25) {
  const body = JSON.stringify({ sensorId, timestamp: new Date(Date.now() - 60_000).toISOString(), values: { pm25 } });
  const response = await fetch(`${base}/api/v1/readings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  check(response.status === 200, `ingest answered ${response.status}`);
}

// A plain fetch client, as the GraphQL-over-HTTP spec describes one.
async function fetchChecks() {
  const post = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: 'query($s: AqiStandard!) { aqiScale(standard: $s) { low high category } }', variables: { s: 'UK_DAQI' } }),
  });
  check(post.status === 200, `POST query answered ${post.status}`);
  check((post.headers.get('content-type') ?? '').startsWith('application/graphql-response+json'), `POST content type ${post.headers.get('content-type')}`);
  const result = await post.json();
  check(Array.isArray(result.data?.aqiScale) && result.data.aqiScale.length === 10, 'UK DAQI has 10 bands');

  const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ aqiScale(standard: US_EPA_2024) { category } }')}`, { headers: { accept: 'application/graphql-response+json' } });
  check(get.status === 200, `GET query answered ${get.status}`);

  const invalid = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query: '{ noSuchField }' }) });
  check(invalid.status === 400, `an invalid document answered ${invalid.status}`);
  check(Array.isArray((await invalid.json()).errors), 'an invalid document has errors');

  // A legacy client (fetch's default Accept: */*) gets application/json, 200 with the errors in the body.
  const legacy = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ noSuchField }' }) });
  check(legacy.status === 200, `an invalid document from a legacy client answered ${legacy.status}`);
  check((legacy.headers.get('content-type') ?? '').startsWith('application/json'), `legacy content type ${legacy.headers.get('content-type')}`);
  check(Array.isArray((await legacy.json()).errors), 'an invalid document from a legacy client has errors');
}

// The graphql-ws client: subscribe, see the sensor change and the alert it raises.
async function subscriptionChecks() {
  const client = createClient({ url: `${base.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  const first = (query, variables) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event within 20 s for ${query}`)), 20_000);
    const stop = client.subscribe({ query, variables }, {
      next: (value) => { clearTimeout(timer); stop(); resolve(value); },
      error: (error) => { clearTimeout(timer); reject(error instanceof Error ? error : new Error(JSON.stringify(error))); },
      complete: () => {},
    });
  });
  try {
    const updated = first('subscription($id: ID!) { sensorUpdated(id: $id) { id latest { quantity value } } }', { id: sensorId });
    const alerted = first('subscription($id: ID) { alertChanged(sensorId: $id) { sensorId rule state } }', { id: sensorId });
    // Let both subscriptions reach the server (a ping round trip would be the protocol's way; graphql-ws
    // offers none, so a query over the same socket stands in: the server handles messages in order).
    await new Promise((resolve, reject) => client.subscribe({ query: '{ aqiScale(standard: EU_EAQI_2024) { low } }' }, { next: () => {}, error: reject, complete: resolve }));
    await postReading(500); // far above the test host's rule (100): raises at once
    const update = await updated;
    check(update.data?.sensorUpdated?.id === sensorId, 'sensorUpdated delivered the sensor');
    const alert = await alerted;
    check(alert.data?.alertChanged?.sensorId === sensorId && alert.data.alertChanged.state === 'ACTIVE', 'alertChanged delivered the raised alert');
  } finally {
    await client.dispose();
  }
}

try {
  await fetchChecks();
  await subscriptionChecks();
} catch (error) {
  failures.push(String(error?.message ?? error));
}
console.log(JSON.stringify({ ok: failures.length === 0, failures }));
process.exit(failures.length === 0 ? 0 : 1);
