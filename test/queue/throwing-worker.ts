// The real replication worker, except that replication 1 throws (its
// testFault): a replication failing the same way on any machine.
import type { MessagePort } from 'node:worker_threads';
import replicationWorker, { type ReplicationTask } from '../../agents/replication-worker.ts';

export default function throwingWorker(task: ReplicationTask & { readonly port?: MessagePort }): ReturnType<typeof replicationWorker> {
  return replicationWorker(task.index === 1 ? { ...task, testFault: 'throw' } : task);
}
