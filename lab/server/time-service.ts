import { TimeServiceService, type TimeServiceServer } from '../../proto/gen/time/time';
import type { LabNode } from '../model/node';
import type { Router } from './call-context';
import { toTimestamp } from '../../proto/timestamps';
import { unary, type ApidHooks } from './handler-kit';

export function timeService(router: Router, hooks: ApidHooks): Partial<TimeServiceServer> {
  // The node's clock runs `clockOffsetMs` ahead of the time server's (a few ms when synced).
  const answer = (node: LabNode, server: string) => ({
    messages: [
      {
        metadata: undefined,
        server,
        localtime: toTimestamp(node.now() + node.health.clockOffsetMs),
        remotetime: toTimestamp(node.now() + 3),
      },
    ],
  });
  return {
    time: unary(router, TimeServiceService.time, (node) => answer(node, 'time.cloudflare.com'), hooks),
    timeCheck: unary(router, TimeServiceService.timeCheck, (node, req: { server: string }) => answer(node, req.server), hooks),
  };
}
