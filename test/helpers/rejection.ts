// The ReplicationFailedError a promise rejects with (failing the test if it resolves or throws anything else).
import { expect } from 'vitest';
import { ReplicationFailedError } from '../../engine/pool.ts';

export async function failure(p: Promise<unknown>): Promise<ReplicationFailedError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReplicationFailedError);
  return e as ReplicationFailedError;
}
