import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services';
import { SD_ID } from '../../electron/services/siem/rfc5424';

const run = promisify(execFile);
const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p));
const GTLS = [
  '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so',
  '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so',
  '/usr/lib/rsyslog/lmnsd_gtls.so',
].some((p) => existsSync(p));
if (!RSYSLOGD || !GTLS)
  console.warn(
    '[siem] SKIPPED: the SIEM forwarding test needs rsyslogd with TLS (Debian packages rsyslog and rsyslog-gnutls; .ci/run installs them).',
  );

let dir: string;
let port: number;
let rsyslog: ChildProcess | null = null;
let services: Services;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function openssl(...args: string[]) {
  await run('openssl', args, { cwd: dir });
}

/** Its own rsyslogd on loopback with TLS: own config, pid file, spool and certificates in the temp folder. */
async function startRsyslog(): Promise<void> {
  const conf = `global(workDirectory="${dir}/spool" defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="${dir}/ca.pem" defaultNetstreamDriverCertFile="${dir}/server.pem" defaultNetstreamDriverKeyFile="${dir}/server.key")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" address="127.0.0.1" port="${port}")
template(name="raw" type="string" string="%rawmsg%\\n")
*.* action(type="omfile" file="${dir}/received.log" template="raw" flushOnTXEnd="on" asyncWriting="off")
`;
  await writeFile(path.join(dir, 'rsyslog.conf'), conf);
  rsyslog = spawn(RSYSLOGD!, ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslog.pid')], { stdio: 'ignore' });
  // Ready when the port accepts connections.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('rsyslogd did not start listening');
}

async function stopRsyslog(): Promise<void> {
  const child = rsyslog;
  rsyslog = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function received(): Promise<number[]> {
  const text = await readFile(path.join(dir, 'received.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(new RegExp(`\\[${SD_ID.replace('@', '@')} seq="(\\d+)"`).exec(line)?.[1] ?? NaN));
}

function newServices(): Services {
  return createServices({
    host: 'browser',
    version: 'test',
    dataDir: path.join(dir, 'data'),
    emit: () => undefined,
    siem: { confirmAfterMs: 300, retryMs: { min: 100, max: 400 } },
  });
}

async function audit(n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await services.audit.append({
      time: new Date().toISOString(),
      kind: 'intent',
      osUser: 'tester',
      identity: { name: 'admin@lab', fingerprint: 'ab'.repeat(32), roles: ['os:admin'] },
      nodes: ['10.5.0.2'],
      method: '/machine.MachineService/Reboot',
      args: {},
      outcomes: [],
      talosctl: 'talosctl reboot -n 10.5.0.2',
    });
}

/** The sequence numbers in first-arrival order: what a SIEM keeps after dropping at-least-once duplicates. */
const firstArrivals = (seqs: number[]) => [...new Set(seqs)];

describe.skipIf(!RSYSLOGD || !GTLS)('forwarding the audit trail to a real rsyslog over TLS', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-siem-'));
    await mkdir(path.join(dir, 'spool'));
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=test SIEM CA',
      '-days',
      '2',
    );
    await openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    await writeFile(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    port = await freePort();
    await startRsyslog();
    services = newServices();
    await services.handlers['vault.setup']({ passphrase: 'siem test passphrase' });
  }, 60_000);

  afterAll(async () => {
    await services?.dispose();
    await stopRsyslog();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends entries in order as RFC 5424 with the chain position, queues while the collector is down, and delivers the backlog', async () => {
    await audit(3);
    const config = {
      enabled: true,
      host: '127.0.0.1',
      port,
      caPem: await readFile(path.join(dir, 'ca.pem'), 'utf8'),
      clientCertPem: null,
      clientKeyPem: null,
    };
    await services.handlers['siem.configure'](config);
    await audit(2);
    await expect.poll(received, { timeout: 15_000 }).toEqual([1, 2, 3, 4, 5]);
    await expect.poll(() => services.siem.status(), { timeout: 5_000 }).toMatchObject({ state: 'connected', backlog: 0, lastSentSeq: 5 });
    const line = (await readFile(path.join(dir, 'received.log'), 'utf8')).split('\n')[0]!;
    expect(line).toMatch(
      /^<85>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ nodeglass - audit \[nodeglass@32473 seq="1" hash="[0-9a-f]{64}" prev="[0-9a-f]+"/,
    );

    await stopRsyslog();
    await audit(4);
    await expect.poll(() => services.siem.status().state, { timeout: 10_000 }).toBe('waiting');
    expect(services.siem.status().backlog).toBeGreaterThanOrEqual(4);
    expect(services.siem.status().lastError).toMatch(/wait in the queue/);

    // A restart of Nodeglass while the collector is down keeps the queue.
    await services.dispose();
    services = newServices();
    await services.handlers['vault.unlock']({ passphrase: 'siem test passphrase' });
    await expect.poll(async () => (await services.handlers['siem.status']({})).backlog, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);

    await startRsyslog();
    await expect.poll(async () => firstArrivals(await received()), { timeout: 20_000 }).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect.poll(() => services.siem.status(), { timeout: 5_000 }).toMatchObject({ state: 'connected', backlog: 0, lastSentSeq: 9 });
    const seqs = await received();
    // At least once: every entry arrived; a repeat only ever re-sends entries not yet confirmed, in order.
    for (let i = 1; i < seqs.length; i++)
      if (seqs[i]! < seqs[i - 1]!) expect(seqs.slice(i)).toEqual([...seqs.slice(i)].sort((a, b) => a - b));
    expect(seqs.length).toBeLessThanOrEqual(9 + 4);
  }, 90_000);
});
