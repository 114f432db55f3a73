import { describe, expect, it } from 'vitest';
import { structure } from './structured';

describe('structured log lines', () => {
  it('reads kubelet JSON: no level field, so info unless it carries an error', () => {
    expect(
      structure('{"ts":1758106668007.8376,"caller":"app/server.go:529","msg":"Kubelet version","v":0,"kubeletVersion":"v1.34.1"}'),
    ).toEqual({
      format: 'json',
      level: 'info',
      component: 'app/server.go:529',
      message: 'Kubelet version',
      fields: [
        ['v', '0'],
        ['kubeletVersion', 'v1.34.1'],
      ],
    });
    expect(structure('{"ts":1,"caller":"x.go:1","msg":"Unable to register node","err":"connection refused"}')?.level).toBe('error');
  });

  it('reads etcd zap JSON and containerd logfmt', () => {
    expect(
      structure(
        '{"level":"warn","ts":"2026-08-21T10:11:12.345678Z","caller":"etcdserver/server.go:1448","msg":"apply request took too long","local-member-id":"a49c"}',
      ),
    ).toMatchObject({
      level: 'warn',
      component: 'etcdserver/server.go:1448',
      message: 'apply request took too long',
      fields: [['local-member-id', 'a49c']],
    });
    expect(structure('time="2026-08-21T10:11:12.345678901Z" level=warning msg="shim disconnected" id=4f2a9c')).toEqual({
      format: 'logfmt',
      level: 'warning',
      component: '',
      message: 'shim disconnected',
      fields: [['id', '4f2a9c']],
    });
  });

  it('reads the zap console lines of controller-runtime, colours and all', () => {
    expect(
      structure(
        '2026-08-21T10:11:12.345Z \x1b[34mINFO\x1b[0m setting hostname {"component": "controller-runtime", "controller": "network.HostnameSpecController"}',
      ),
    ).toEqual({
      format: 'zap',
      level: 'info',
      component: 'controller-runtime',
      message: 'setting hostname',
      fields: [['controller', 'network.HostnameSpecController']],
    });
  });

  it('reads klog lines: the file is the component', () => {
    expect(
      structure('E0921 10:11:12.123456    1931 kubelet_node_status.go:107] "Unable to register node" err="connection refused"'),
    ).toEqual({
      format: 'klog',
      level: 'error',
      component: 'kubelet_node_status.go:107',
      message: '"Unable to register node" err="connection refused"',
      fields: [],
    });
  });

  it('leaves prose and broken lines alone', () => {
    expect(structure('[talos] service[etcd](Running): Health check successful')).toBeNull();
    expect(structure('kern:    info: [2026-08-21T10:00:01.123456789Z]: eth0: link up')).toBeNull();
    expect(structure('{"msg": "cut in the middle')).toBeNull();
    expect(structure('set a=1 in the config and restart')).toBeNull();
  });
});
