/**
 * An error as plain data, for crossing a worker thread's boundary: structured
 * clone drops an Error subclass's identity and own fields, so its name,
 * message, stack and code travel as a plain object. Used by the pool and by
 * every worker module it runs.
 */

export interface WorkerErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

/** `e` as WorkerErrorData (a non-Error thrown value becomes its string). */
export function errorData(e: unknown): WorkerErrorData {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }), ...(code === undefined ? {} : { code }) };
}
