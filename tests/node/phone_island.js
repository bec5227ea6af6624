// Exercises the push channel with socket.io-client 4.7.x and phone-island's exact options.
//
// Usage: node phone_island.js <port>
// Protocol with the Rust driver (tests/push_node.rs): one line per step on stdout.
//   "READY <what>"  the driver must now publish <what> (exten, hangup)
//   "<STEP> <json>" what was received, asserted exactly by the driver
//   "DONE"          success (exit code 0); "FAIL <reason>" on failure (exit code 1)
'use strict';

const { io } = require('socket.io-client');

const port = process.argv[2];
if (!port) {
  console.log('FAIL usage: node phone_island.js <port>');
  process.exit(2);
}
const url = `http://127.0.0.1:${port}`;
// The options phone-island passes to io() (clients.md §3).
const opts = {
  transports: ['websocket'],
  upgrade: false,
  reconnection: true,
  reconnectionDelay: 2000,
  forceNew: true,
};

const sockets = [];
function fail(reason) {
  console.log(`FAIL ${reason}`);
  sockets.forEach((s) => s.close());
  process.exit(1);
}
setTimeout(() => fail('global timeout'), 30000).unref();

function say(step, value) {
  console.log(value === undefined ? step : `${step} ${JSON.stringify(value)}`);
}

// A socket that logs in on every connect, as phone-island does.
function connect(accessKeyId, token, uaType) {
  const socket = io(url, opts);
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

async function main() {
  // 1. login -> authe_ok -> ping ack (volatile emit with ack, like the heartbeat).
  const alice = connect('alice', 'tok-alice', 'desktop');
  const authe = await once(alice, 'authe_ok');
  say('AUTHE_OK', authe);
  const pingArgs = await new Promise((resolve) => {
    alice.volatile.timeout(5000).emit('ping', (err, ...args) => {
      if (err) fail('ping ack timeout');
      resolve(args);
    });
  });
  say('PING_ACK', pingArgs);

  // 2. pushed extenUpdate; the first argument is what phone-island reads.
  const extenUpdate = once(alice, 'extenUpdate');
  say('READY exten');
  const exten = await extenUpdate;
  const ext = exten[0];
  if (ext.username !== 'alice' || ext.exten !== '201' || typeof ext.conversations !== 'object') {
    fail('extenUpdate fields phone-island reads are wrong');
  }
  say('EVENT extenUpdate', exten);

  // 3. extenHangup.
  const hangupP = once(alice, 'extenHangup');
  say('READY hangup');
  const hangup = await hangupP;
  if (hangup[0].cause !== 'normal_clearing') fail('extenHangup cause');
  say('EVENT extenHangup', hangup);

  // 4. bad token -> 401 -> server disconnect (no automatic reconnection after it).
  const bad = connect('alice', 'wrong-token', 'desktop');
  const reject = once(bad, '401');
  const gone = once(bad, 'disconnect');
  say('BAD_401', await reject);
  say('BAD_DISCONNECT', (await gone)[0]);

  // 5. take-over: a second desktop login of alice warns the first socket.
  const takeOver = once(alice, 'takeOver');
  const second = connect('alice', 'tok-alice', 'desktop');
  say('SECOND_AUTHE_OK', await once(second, 'authe_ok'));
  say('TAKEOVER', await takeOver);
  if (!alice.connected) fail('old socket was disconnected by take-over');

  sockets.forEach((s) => s.close());
  say('DONE');
  process.exit(0);
}

main().catch((err) => fail(err && err.stack ? err.stack.replace(/\n/g, ' | ') : String(err)));
