import { afterAll, describe, expect, it } from 'vitest';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { startLab } from '../cluster';
import { serviceListResponse, serviceListSerialize } from './service-list';

const lab = await startLab({ nodes: 1, logRate: 0 });
afterAll(() => lab.stop());
const node = lab.nodes[0]!;
const kubelet = () => serviceListResponse(node).messages[0]!.services.find((s) => s.id === 'kubelet')!;

describe('ServiceList answers of the lab', () => {
  it('keeps an unchanged answer and its bytes, which are what the generated encoder writes', () => {
    const first = serviceListResponse(node);
    expect(serviceListResponse(node)).toBe(first);
    const bytes = serviceListSerialize(first);
    expect(serviceListSerialize(first)).toBe(bytes);
    expect(bytes.equals(M.serviceList.responseSerialize(structuredClone(first)))).toBe(true);
    expect(() => {
      (first.messages[0]!.services[0] as { state: string }).state = 'Finished';
    }).toThrow(TypeError);
  });

  it('shows a new state, event and health at once, in the answer and in its bytes', () => {
    const before = serviceListResponse(node);
    const beforeBytes = serviceListSerialize(before);
    node.setServiceState('kubelet', 'Running', 'Health check failed: probe', '', node.now(), { healthy: false });
    const after = serviceListResponse(node);
    expect(after).not.toBe(before);
    expect(kubelet()).toMatchObject({
      state: 'Running',
      health: { healthy: false, unknown: false, lastMessage: 'Health check failed: probe' },
    });
    expect(kubelet().events!.events.at(-1)!.msg).toBe('Health check failed: probe');
    const decoded = M.serviceList.responseDeserialize(serviceListSerialize(after));
    expect(decoded.messages[0]!.services.find((s) => s.id === 'kubelet')!.health!.lastMessage).toBe('Health check failed: probe');
    expect(serviceListSerialize(after).equals(beforeBytes)).toBe(false);
  });

  it('encodes an answer it did not build afresh each time (a multi-node answer carries each node in its metadata)', () => {
    const other = {
      messages: [{ ...serviceListResponse(node).messages[0]!, metadata: { hostname: '10.5.0.2', error: '', status: undefined } }],
    };
    expect(serviceListSerialize(other).equals(M.serviceList.responseSerialize(other))).toBe(true);
    other.messages[0]!.metadata.hostname = '10.5.0.3';
    expect(M.serviceList.responseDeserialize(serviceListSerialize(other)).messages[0]!.metadata!.hostname).toBe('10.5.0.3');
  });
});
