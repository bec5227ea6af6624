// Drives the real daemon with socket.io-client 4.7.x and phone-island's exact options.
//
// Usage: node phone_island.js <restPort> <wsPort> [pingIntervalMs=5000]
// REST on 127.0.0.1:<restPort>, socket.io on 127.0.0.1:<wsPort> (the separate websocket
// listener). Prints one line per step on stdout, asserted exactly by tests/push_node.rs:
//   "<STEP> <json>"  what was received
//   "DONE"           success (exit code 0); "FAIL <reason>" on failure (exit code 1)
'use strict';

const crypto = require('crypto');
const { io } = require('socket.io-client');

const [restPort, wsPort, pingArg] = process.argv.slice(2);
if (!restPort || !wsPort) {
  console.log('FAIL usage: node phone_island.js <restPort> <wsPort> [pingIntervalMs]');
  process.exit(2);
}
const rest = `http://127.0.0.1:${restPort}`;
const wsUrl = `http://127.0.0.1:${wsPort}`;
// phone-island pings every 5 s; the test may ask for a shorter period.
const pingInterval = Number(pingArg || 5000);
// The options phone-island passes to io() (clients.md §3).
const opts = {
  transports: ['websocket'],
  upgrade: false,
  reconnection: true,
  reconnectionDelay: 2000,
  forceNew: true,
};

const sockets = [];
const timers = [];
function fail(reason) {
  console.log(`FAIL ${reason}`);
  timers.forEach(clearInterval);
  sockets.forEach((s) => s.close());
  process.exit(1);
}
setTimeout(() => fail('global timeout'), 40000).unref();

function say(step, value) {
  console.log(value === undefined ? step : `${step} ${JSON.stringify(value)}`);
}

// REST login as the CTI does (auth.md §3): 401 + `WWW-Authenticate: Digest <nonce>`, then
// token = hex(HMAC-SHA1(password, "user:password:nonce")).
async function restLogin(user, password) {
  const resp = await fetch(`${rest}/authentication/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ username: user, password }),
  });
  const header = resp.headers.get('www-authenticate') || '';
  if (resp.status !== 401 || !header.startsWith('Digest ')) {
    fail(`login answered ${resp.status} ${header}`);
  }
  const nonce = header.slice('Digest '.length);
  return crypto.createHmac('sha1', password).update(`${user}:${password}:${nonce}`).digest('hex');
}

async function restPost(user, token, path, body) {
  const resp = await fetch(`${rest}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json;charset=UTF-8', Authorization: `${user}:${token}` },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  if (resp.status !== 200) fail(`POST ${path} answered ${resp.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A socket that logs in on every connect, as phone-island does.
function connect(accessKeyId, token, uaType) {
  const socket = io(wsUrl, opts);
  sockets.push(socket);
  socket.on('connect', () => {
    socket.emit('login', { accessKeyId, token, uaType });
  });
  socket.on('connect_error', (err) => fail(`connect_error ${err.message}`));
  return socket;
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

// Resolves with the first `event` whose arguments satisfy `pred`.
function first(socket, event, pred) {
  return new Promise((resolve) => {
    const on = (...args) => {
      if (pred(...args)) {
        socket.off(event, on);
        resolve(args);
      }
    };
    socket.on(event, on);
  });
}

// phone-island's heartbeat: a volatile ping with a 5 s ack timeout every period; resolves
// after `count` acks (and keeps pinging, failing on a missed ack).
function heartbeat(socket, count) {
  return new Promise((resolve) => {
    let acks = 0;
    const timer = setInterval(() => {
      socket.volatile.timeout(5000).emit('ping', (err, ...args) => {
        if (err) fail('ping ack timeout');
        acks += 1;
        if (acks <= count) say(`PING_ACK ${acks}`, args);
        if (acks === count) resolve();
      });
    }, pingInterval);
    timers.push(timer);
  });
}

// The conversation fields that do not depend on time.
function stableConversation(c) {
  const keep = ['id', 'owner', 'counterpartNum', 'counterpartName', 'direction', 'connected',
    'recording', 'inConference', 'throughQueue', 'throughTrunk'];
  return Object.fromEntries(keep.map((k) => [k, c[k]]));
}

function connectedTo(ext, num) {
  return Object.values(ext.conversations || {}).find((c) => c.connected && c.counterpartNum === num);
}

async function main() {
  // 1. REST login, socket login -> authe_ok -> the 5 s heartbeat.
  const token = await restLogin('alice', 'alice');
  const alice = connect('alice', token, 'desktop');
  say('AUTHE_OK', await once(alice, 'authe_ok'));
  await heartbeat(alice, 2);

  // 2. A call 201 -> 202 placed through REST shows up as alice's extenUpdate with the
  //    conversation (phones of the simulated PBX answer by themselves).
  const update = first(alice, 'extenUpdate', (ext) => ext.exten === '201' && connectedTo(ext, '202'));
  const call = await restPost('alice', token, '/astproxy/call', { number: '202' });
  say('CALL', Object.keys(call));
  const [ext, seq] = await update;
  if (typeof seq._seq !== 'number') fail('extenUpdate without trailing _seq');
  const conv = connectedTo(ext, '202');
  say('EXTEN_UPDATE', {
    exten: ext.exten, username: ext.username, status: ext.status, conversation: stableConversation(conv),
  });

  // 3. Hang up through REST -> extenHangup to alice.
  const hangup = once(alice, 'extenHangup');
  await restPost('alice', token, '/astproxy/hangup', { convid: conv.id, endpointId: '201' });
  say('EXTEN_HANGUP', (await hangup)[0]);

  // 4. Bad token -> 401 -> server disconnect (no automatic reconnection after it).
  const bad = connect('alice', 'wrong-token', 'desktop');
  const reject = once(bad, '401');
  const gone = once(bad, 'disconnect');
  say('BAD_401', await reject);
  say('BAD_DISCONNECT', (await gone)[0]);

  // 5. Take-over: a second desktop login of alice warns the first socket.
  const takeOver = once(alice, 'takeOver');
  const second = connect('alice', token, 'desktop');
  say('SECOND_AUTHE_OK', await once(second, 'authe_ok'));
  say('TAKEOVER', await takeOver);
  if (!alice.connected) fail('old socket was disconnected by take-over');

  timers.forEach(clearInterval);
  sockets.forEach((s) => s.close());
  say('DONE');
  process.exit(0);
}

main().catch((err) => fail(err && err.stack ? err.stack.replace(/\n/g, ' | ') : String(err)));
