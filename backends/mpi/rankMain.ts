/**
 * A rank of a job launched by {@link mpi} from an ordinary Node process: every rank serves its
 * worker (the PE instances the plan gives it); rank 0 also relays between the MPI ranks and the
 * coordinator in the parent process, over the socket given by `--parent`.
 */
import { connect } from 'node:net';
import { serveWorker } from '../../src/runtime/serveWorker.js';
import { loadAddon } from './addon.js';
import { FrameReader, writeFrame } from './frames.js';
import { RankNode } from './RankNode.js';
import { FRAME_HELLO, FRAME_MESSAGE, FRAME_QUIT, type Hello } from './job.js';
import { decodeMessage, encodeMessage } from './wire.js';
import type { Message } from '../../src/runtime/protocol.js';

const at = process.argv.indexOf('--parent');
const parent = at >= 0 ? process.argv[at + 1] : undefined;
if (!parent) {
  console.error(
    'dispel4ts mpi rank: missing --parent <socket>; this program is started by the mpi backend',
  );
  process.exit(2);
}

const addon = loadAddon();
const rank = RankNode.start(addon);
let quitting = false;
const stopServing = serveWorker('mpi', rank.workerTransport());

const leave = (): never => {
  quitting = true;
  stopServing();
  addon.finalize();
  process.exit(0);
};

if (rank.rank !== 0) {
  rank.onControl((control) => {
    if (control.op === 'quit') leave();
  });
  rank.sendControl(0, { op: 'hello', rank: rank.rank, pid: process.pid });
} else {
  const socket = connect(parent);
  socket.setNoDelay(true);
  const pids: number[] = Array.from({ length: rank.size }, () => 0);
  pids[0] = process.pid;
  let hellos = 1;
  const hello = (): void => {
    const message: Hello = { size: rank.size, pids };
    writeFrame(socket, FRAME_HELLO, encodeMessage(message as unknown as Message));
  };
  rank.onControl((control, source) => {
    if (control.op !== 'hello') return;
    pids[source] = control.pid;
    if (++hellos === rank.size) hello();
  });
  if (rank.size === 1) socket.once('connect', hello);
  rank.linkCoordinator({
    fromWorker: (message, transfer) =>
      writeFrame(socket, FRAME_MESSAGE, encodeMessage(message, transfer)),
    fromRank: (bytes) => writeFrame(socket, FRAME_MESSAGE, [bytes]),
  });
  const frames = new FrameReader((tag, payload) => {
    if (tag === FRAME_QUIT) {
      for (let r = 1; r < rank.size; r++) rank.sendControl(r, { op: 'quit' });
      socket.end();
      leave();
    } else if (tag === 0) {
      rank.toWorker(decodeMessage(payload));
    } else {
      rank.forward(tag, payload);
    }
  });
  socket.on('data', (chunk) => frames.push(chunk));
  const lostParent = (why: string): void => {
    if (quitting) return;
    console.error(`dispel4ts mpi rank 0: ${why}; aborting the job`);
    addon.abort(1);
  };
  socket.on('error', (error) =>
    lostParent(`the connection to the parent process failed (${error.message})`),
  );
  socket.on('close', () => lostParent('the parent process closed its connection'));
}
