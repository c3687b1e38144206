import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names this process on the rows it holds: host and PID for operators, plus a random tag so that a restarted
 * container that reuses a PID never mistakes its predecessor's leases for its own.
 */
export const createWorkerId = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
