import { loadWorkflow } from './loadWorkflow.js';
import { COORDINATOR, serializeError, type Message } from './protocol.js';
import type { Transport } from './Transport.js';
import { WorkerRuntime } from './WorkerRuntime.js';

/**
 * @internal The worker side shared by the distributed backends: answers `assign` by
 * importing the workflow's module and preparing the local instances (then `ready`), starts
 * them on `start`, feeds them every other message, and sends a heartbeat every second.
 * `stop` stops the current run; a worker serves one run after another (pooled workers).
 * Every failure is reported to the coordinator; nothing is swallowed.
 *
 * @returns a function that stops serving
 */
export function serveWorker(backend: string, transport: Transport): () => void {
  let runtime: WorkerRuntime | undefined;
  const early: Message[] = [];
  const report = (error: unknown): void =>
    transport.send(COORDINATOR, { kind: 'error', from: transport.self, error: serializeError(error) });
  // The heartbeat carries the instances' counts while a run that counts goes (progress).
  const heartbeat = setInterval(() => {
    const stats = runtime?.stats?.snapshot();
    transport.send(COORDINATOR, { kind: 'heartbeat', from: transport.self, ...(stats ? { stats } : {}) });
  }, 1000);
  heartbeat.unref?.();
  const stop = (): void => {
    clearInterval(heartbeat);
    runtime?.stop();
  };
  transport.onMessage((message) => {
    try {
      switch (message.kind) {
        case 'assign': {
          const { assignment } = message;
          runtime?.stop();
          runtime = undefined;
          loadWorkflow(backend, assignment.module, assignment.workflow)
            .then((traced) => {
              runtime = new WorkerRuntime(traced, assignment, transport);
              runtime.onDone = () => undefined;
              runtime.prepare();
              for (const m of early.splice(0)) runtime.receive(m);
              transport.send(COORDINATOR, { kind: 'ready', from: transport.self });
            })
            .catch(report);
          return;
        }
        case 'start':
          runtime?.start();
          return;
        case 'stop':
          runtime?.stop();
          return;
        default:
          if (runtime) runtime.receive(message);
          else early.push(message);
      }
    } catch (error) {
      report(error);
    }
  });
  return stop;
}
