import { loadWorkflow } from './loadWorkflow.js';
import { COORDINATOR, serializeError, type Message } from './protocol.js';
import type { Transport } from './Transport.js';
import { WorkerRuntime } from './WorkerRuntime.js';

/**
 * @internal The worker side shared by the distributed backends: answers `assign` by
 * importing the workflow's module and preparing the local instances (then `ready`), starts
 * them on `start`, feeds them every other message, and sends a heartbeat every second while
 * it serves a run.
 * `stop` stops the current run; a worker serves one run after another (pooled workers).
 * Messages of a run this worker is not serving yet (data from a peer that started first, a
 * `start` that overtook the preparing) wait for it; those of an earlier run are dropped when
 * the next is assigned. Every failure is reported to the coordinator; nothing is swallowed.
 *
 * @returns a function that stops serving
 */
export function serveWorker(backend: string, transport: Transport): () => void {
  let runtime: WorkerRuntime | undefined;
  let early: Message[] = [];
  let startEarly = false;
  const report = (error: unknown, run?: string): void =>
    transport.send(COORDINATOR, {
      kind: 'error',
      ...(run !== undefined ? { run } : {}),
      from: transport.self,
      error: serializeError(error),
    });
  // The heartbeat carries the instances' counts while a run that counts goes (progress). It
  // beats from `assign` until this worker's part is done or stopped: the coordinator watches
  // only workers that have not sent `done`, and between runs a beat would only wake a pooled
  // worker's transport (an idle MPI rank's progress thread stayed awake for it).
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const beat = (): void => {
    const stats = runtime?.stats?.snapshot();
    transport.send(COORDINATOR, {
      kind: 'heartbeat',
      from: transport.self,
      ...(stats ? { stats } : {}),
    });
  };
  const startBeating = (): void => {
    if (heartbeat !== undefined) return;
    heartbeat = setInterval(beat, 1000);
    heartbeat.unref?.();
  };
  const stopBeating = (): void => {
    clearInterval(heartbeat);
    heartbeat = undefined;
  };
  const stop = (): void => {
    stopBeating();
    runtime?.stop();
  };
  transport.onMessage((message) => {
    try {
      switch (message.kind) {
        case 'assign': {
          const { assignment } = message;
          startBeating();
          runtime?.stop();
          runtime = undefined;
          startEarly = false;
          early = early.filter((m) => 'run' in m && m.run === assignment.runId);
          loadWorkflow(backend, assignment.module, assignment.workflow)
            .then((traced) => {
              const prepared = new WorkerRuntime(traced, assignment, transport);
              prepared.onDone = () => {
                if (runtime === prepared) stopBeating();
              };
              prepared.prepare();
              runtime = prepared;
              // Ready before anything runs here: from now on the heartbeat timeout applies.
              transport.send(COORDINATOR, {
                kind: 'ready',
                run: assignment.runId,
                from: transport.self,
              });
              for (const m of early.splice(0)) prepared.receive(m);
              if (startEarly) prepared.start();
            })
            .catch((error: unknown) => report(error, assignment.runId));
          return;
        }
        case 'start':
          if (runtime) runtime.start();
          else startEarly = true;
          return;
        case 'stop':
          stopBeating();
          runtime?.stop();
          startEarly = false;
          return;
        default:
          if (runtime && (!('run' in message) || message.run === runtime.runId))
            runtime.receive(message);
          else early.push(message);
      }
    } catch (error) {
      report(error);
    }
  });
  return stop;
}
