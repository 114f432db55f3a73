import * as grpc from '@grpc/grpc-js';
import type { TLSSocket } from 'node:tls';
import { StateService } from '../../proto/gen/cosi/resource/state';
import { MachineServiceService } from '../../proto/gen/machine/machine';
import { TimeServiceService } from '../../proto/gen/time/time';
import type { Router } from './call-context';
import { cosiService } from './cosi-service';
import { addDayTwoServices } from './day-two-services';
import type { ApidHooks } from './handler-kit';
import { machineService } from './machine-service';
import { LifecycleServiceService } from '../../proto/gen/machine/lifecycle';
import { lifecycleService } from './lifecycle-service';
import { timeService } from './time-service';
import { serviceListSerialize } from './service-list';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** MachineService as generated, except that ServiceList reuses the bytes of an unchanged answer. */
const machineServiceDefinition = {
  ...MachineServiceService,
  serviceList: { ...MachineServiceService.serviceList, responseSerialize: serviceListSerialize },
};

export interface ApidOptions {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  host: string;
  port: number;
  router: Router;
  hooks: ApidHooks;
  onRefused?: (reason: string) => void;
}

/**
 * apid's rule: every client certificate must have ExtKeyUsage exactly [clientAuth]. OpenSSL already refuses
 * a certificate without clientAuth during the handshake; this closes connections whose certificate has more.
 */
function watchClientCertificates(server: grpc.Server, onRefused: (reason: string) => void): void {
  const http2Servers = (server as unknown as { http2Servers: Map<import('node:events').EventEmitter, unknown> }).http2Servers;
  for (const http2Server of http2Servers.keys()) {
    http2Server.prependListener('secureConnection', (socket: TLSSocket) => {
      const cert = socket.getPeerCertificate();
      const usages = cert?.ext_key_usage ?? [];
      if (usages.length !== 1 || usages[0] !== CLIENT_AUTH) {
        onRefused(`certificate "${cert?.subject?.CN ?? ''}" is missing the client auth extended key usage`);
        socket.destroy();
        return;
      }
      // grpc-js asks for the peer certificate on every call (for the roles); a connection's certificate never
      // changes, and decoding it each time was a tenth of the lab's CPU per call in a 100-node fan-out.
      const decode = socket.getPeerCertificate.bind(socket);
      socket.getPeerCertificate = ((detailed?: boolean) => (detailed ? decode(true) : cert)) as TLSSocket['getPeerCertificate'];
    });
  }
}

export async function startApid(options: ApidOptions): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 32 * 1024 * 1024, 'grpc.enable_channelz': 0 });
  server.addService(machineServiceDefinition, machineService(options.router, options.hooks) as grpc.UntypedServiceImplementation);
  server.addService(StateService, cosiService(options.router, options.hooks) as grpc.UntypedServiceImplementation);
  server.addService(TimeServiceService, timeService(options.router, options.hooks) as grpc.UntypedServiceImplementation);
  server.addService(LifecycleServiceService, lifecycleService(options.router, options.hooks) as grpc.UntypedServiceImplementation);
  addDayTwoServices(server, options.router, options.hooks);
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(options.caPem),
    [{ private_key: Buffer.from(options.serverKeyPem), cert_chain: Buffer.from(options.serverCertPem) }],
    true,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  watchClientCertificates(server, options.onRefused ?? (() => undefined));
  return { server, port };
}
