import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Channel, Request, Response } from '../../shared/contract';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';

export interface ServicesWithLab {
  services: Services;
  /** The dispatcher itself, for a test that looks at an error result. */
  dispatch: ReturnType<typeof createDispatcher>;
  /** A contract call through the dispatcher (validation, guard, audit), throwing on an error result. */
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>>;
  stop(): Promise<void>;
}

/**
 * The host's services in a fresh data folder, an unlocked vault and the practice cluster started through the
 * contract, as the operations and day-two integration tests need them (operations poll every 50 ms).
 */
export async function startServicesWithLab(name: string, lab: { nodes: number; controlPlanes: number }): Promise<ServicesWithLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `nodeglass-${name}-`));
  const services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    emit: () => undefined,
    env: {},
    home: dir,
    operations: { pollMs: 50 },
  });
  const dispatch = createDispatcher(services, () => undefined);
  const call = async <C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> => {
    const result = await dispatch(channel, request);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as Response<C>;
  };
  await call('vault.setup', { passphrase: `${name} passphrase` });
  await call('lab.start', lab);
  return {
    services,
    dispatch,
    call,
    async stop() {
      await services.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
