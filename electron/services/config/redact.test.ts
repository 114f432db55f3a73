import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REDACTED, redactConfig } from './redact';
import { diffConfigs } from './structural-diff';
import { buildMachineConfig } from '../../../lab/model/machine-config';

const sample = (name: string) => readFileSync(new URL(`../../../lab/data/stability-v1.13-base-${name}.yaml`, import.meta.url), 'utf8');

describe('config redaction', () => {
  it('hides every secret of the v1.13 stability configs and keeps the rest', () => {
    const cp = redactConfig(sample('controlplane'));
    expect(cp.redactedPaths.sort()).toEqual(
      [
        'cluster.aggregatorCA.key',
        'cluster.ca.key',
        'cluster.etcd.ca.key',
        'cluster.secret',
        'cluster.secretboxEncryptionSecret',
        'cluster.serviceAccount.key',
        'cluster.token',
        'machine.ca.key',
        'machine.token',
      ]
        .map((p) => `doc0.${p}`)
        .sort(),
    );
    for (const secret of [
      'd8cwfa.eyvpi0xwxyarbfid',
      'pofHbABZq7VXuObsdLdy',
      'inn7ol.u4ehnti8qyls9ymo',
      '45yd2Ke+sytiICojDf8aibTfgt99nzJmO53cjDqrCto=',
      'LS0tLS1CRUdJTiBFRDI1NTE5IFBSSVZBVEUgS0VZ',
      'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0t',
    ]) {
      expect(cp.yaml).not.toContain(secret);
    }
    const doc = parseAllDocuments(cp.yaml)[0]!.toJS() as {
      machine: { ca: { crt: string; key: string } };
      cluster: { clusterName: string };
    };
    expect(doc.machine.ca.key).toBe(REDACTED);
    expect(doc.machine.ca.crt).toMatch(/^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0t/);
    expect(doc.cluster.clusterName).toBe('base');
    expect(cp.documents).toBe(2);
    const worker = redactConfig(sample('worker'));
    expect(worker.yaml).not.toContain('d8cwfa.eyvpi0xwxyarbfid');
    expect(worker.redactedPaths).toEqual(expect.arrayContaining(['doc0.machine.token', 'doc0.cluster.secret', 'doc0.cluster.token']));
  });
});

describe('configs that do not parse', () => {
  it('are refused rather than shown half-redacted or diffed', () => {
    expect(() => redactConfig('machine:\n    token: abc\n  bad: [unclosed')).toThrow(/cannot be sure every secret is hidden/);
    expect(() => diffConfigs('a: 1', 'b: [', true)).toThrow(/does not parse as YAML/);
  });
});

describe('structural config diff', () => {
  const w1 = buildMachineConfig('worker', 'lab', 'lab-worker-1', '10.5.0.3', '10.5.0.2');
  const w2 = buildMachineConfig('worker', 'lab', 'lab-worker-2', '10.5.0.4', '10.5.0.2');
  const cp = buildMachineConfig('controlplane', 'lab', 'lab-controlplane-1', '10.5.0.2', '10.5.0.2');

  it('finds two workers identical except per-node fields', () => {
    const diff = diffConfigs(w1, w2, true);
    expect(diff.identicalExceptPerNode).toBe(true);
    expect(diff.summary).toMatch(/^identical except per-node fields/);
    const shown = diffConfigs(w1, w2, false);
    expect(shown.changes.map((c) => c.path)).toEqual(
      expect.arrayContaining(['machine.certSANs[0]', 'machine.network.hostname', 'HostnameConfig.hostname']),
    );
    expect(shown.changes.every((c) => c.perNode)).toBe(true);
  });

  it('lists the differences between a worker and a control plane without showing secrets', () => {
    const diff = diffConfigs(w1, cp, true);
    expect(diff.identicalExceptPerNode).toBe(false);
    expect(diff.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['machine.type']));
    expect(diff.changes.find((c) => c.path === 'machine.type')).toMatchObject({ left: '"worker"', right: '"controlplane"' });
    const caKey = diff.changes.find((c) => c.path === 'machine.ca.key');
    expect(caKey?.right).toBe(REDACTED);
    expect(JSON.stringify(diff)).not.toMatch(/LS0tLS1CRUdJTiBFRDI1NTE5IFBSSVZBVEUgS0VZ/);
  });

  it('refuses configs over the size cap', () => {
    expect(() => diffConfigs('a: 1', `x: "${'y'.repeat(3 * 1024 * 1024)}"`, true)).toThrow(/larger than 2 MiB/);
  });
});
