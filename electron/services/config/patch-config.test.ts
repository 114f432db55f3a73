import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadPatch, patchConfig } from './patch-config';

const single = `version: v1alpha1
machine:
    type: worker
    network:
        hostname: w1
        interfaces:
            - interface: eth0
              mtu: 1500
    certSANs:
        - 10.5.0.3
cluster:
    clusterName: lab
`;
const multi = `${single}---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: w1
`;
const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, unknown>);

describe('patch mc as Talos configpatcher applies it', () => {
  it('reads a list of operations (JSON or YAML) as a JSON Patch and anything else as strategic merge', () => {
    expect(loadPatch('[{"op": "add", "path": "/machine/env", "value": {"A": "1"}}]').format).toBe('json6902');
    expect(loadPatch('- op: remove\n  path: /machine/certSANs\n').format).toBe('json6902');
    expect(loadPatch('machine:\n  env:\n    A: "1"\n').format).toBe('strategic');
  });

  it('applies a JSON Patch to a single-document config and says which operation failed', () => {
    const out = docs(patchConfig(single, loadPatch('[{"op": "replace", "path": "/machine/network/hostname", "value": "w9"}]')));
    expect(out[0]!.machine).toMatchObject({ network: { hostname: 'w9' } });
    expect(() => patchConfig(single, loadPatch('[{"op": "test", "path": "/machine/type", "value": "controlplane"}]'))).toThrow(
      /^The JSON Patch does not apply: operation 1: /,
    );
    expect(() => loadPatch('[{"op": "jump", "path": "/x"}]')).toThrow(/^The JSON Patch is not valid: operation 1: /);
  });

  it('refuses a JSON Patch on a multi-document config, as Talos does, and points to strategic merge', () => {
    expect(() => patchConfig(multi, loadPatch('[{"op": "remove", "path": "/machine/certSANs"}]'))).toThrow(
      /^JSON6902 patches are not supported for multi-document machine configuration\. Write it as a strategic merge patch/,
    );
  });

  it('merges maps, appends lists, merges interfaces by name, and adds or merges other documents by kind', () => {
    const patch = loadPatch(`machine:
  certSANs: [nodeglass.example]
  network:
    interfaces:
      - interface: eth0
        mtu: 9000
      - interface: eth1
        dhcp: true
---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: w2
---
apiVersion: v1alpha1
kind: TimeSyncConfig
ntp:
  servers: [time.cloudflare.com]
`);
    const [main, hostname, time] = docs(patchConfig(multi, patch));
    expect(main!.machine).toMatchObject({
      type: 'worker',
      certSANs: ['10.5.0.3', 'nodeglass.example'],
      network: {
        hostname: 'w1',
        interfaces: [
          { interface: 'eth0', mtu: 9000 },
          { interface: 'eth1', dhcp: true },
        ],
      },
    });
    expect(hostname).toEqual({ apiVersion: 'v1alpha1', kind: 'HostnameConfig', hostname: 'w2' });
    expect(time).toMatchObject({ kind: 'TimeSyncConfig' });
  });

  it('deletes a key or a whole document with $patch: delete, and names a path that is not there', () => {
    const out = docs(
      patchConfig(
        multi,
        loadPatch('machine:\n  certSANs:\n    $patch: delete\n---\napiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n'),
      ),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.machine).not.toHaveProperty('certSANs');
    expect(() => patchConfig(multi, loadPatch('machine:\n  network:\n    nameservers:\n      $patch: delete\n'))).toThrow(
      "patch delete: path 'machine.network.nameservers' in document '/v1alpha1': failed to delete path 'machine.network.nameservers': lookup failed",
    );
  });

  it('gives a specific error for an empty patch, broken YAML and a scalar', () => {
    expect(() => loadPatch('  \n')).toThrow('The patch is empty.');
    expect(() => loadPatch('machine: [')).toThrow(/^The patch is not valid YAML: /);
    expect(() => loadPatch('just text')).toThrow(/^Patch document 1 is not a map/);
  });
});
