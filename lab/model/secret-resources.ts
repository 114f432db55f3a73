import type { LabNode } from './node';
import type { Def } from './resource-definitions';

/**
 * Every type Talos marks `sensitivity: sensitive` in its ResourceDefinition (v1.14: `grep 'meta.Sensitive,'`),
 * by default namespace. Without os:admin Talos answers Get/List/Watch of these with PermissionDenied.
 * MachineConfigs is defined with the config resources.
 */
export const SENSITIVE_DEFS: Def[] = [
  ...['DiscoveryConfigs.cluster', 'KubeSpanConfigs.kubespan', 'SiderolinkConfigs.siderolink', 'SiderolinkTunnels.siderolink'].map((t) => ({
    type: `${t}.talos.dev`,
    ns: 'config',
  })),
  ...[
    'ApiCertificates',
    'CertSANs',
    'EncryptionSalts',
    'EtcdSecrets',
    'EtcdRootSecrets',
    'KubeletSecrets',
    'KubernetesSecrets',
    'KubernetesDynamicCerts',
    'KubernetesRootSecrets',
    'MaintenanceRootSecrets',
    'OSRootSecrets',
    'TrustdCertificates',
  ].map((t) => ({ type: `${t}.secrets.talos.dev`, ns: 'secrets' })),
  ...['APIServerConfigs', 'AuditPolicyConfigs', 'AuthenticationConfigs', 'AuthorizationConfigs'].map((t) => ({
    type: `${t}.kubernetes.talos.dev`,
    ns: 'controlplane',
  })),
  ...[
    'EtcdEncryptionConfigs.kubernetes',
    'KubeletConfigs.kubernetes',
    'KubeletSpecs.kubernetes',
    'NodeAnnotationSpecs.k8s',
    'NodeCordonedSpecs.k8s',
    'NodeLabelSpecs.k8s',
    'NodeTaintSpecs.k8s',
  ].map((t) => ({ type: `${t}.talos.dev`, ns: 'k8s' })),
  ...['VolumeConfigs.block', 'ExtensionServiceConfigs.runtime', 'OOMActions.runtime'].map((t) => ({
    type: `${t}.talos.dev`,
    ns: 'runtime',
  })),
  ...['CustomizationConfigs.cri', 'RegistryConfigs.cri'].map((t) => ({ type: `${t}.talos.dev`, ns: 'cri' })),
  { type: 'EtcFileSpecs.files.talos.dev', ns: 'files' },
  ...['DeviceConfigSpecs.net', 'LinkSpecs.net', 'OperatorSpecs.net'].map((t) => ({ type: `${t}.talos.dev`, ns: 'network' })),
  { type: 'KubeSpanIdentities.kubespan.talos.dev', ns: 'kubespan' },
].map((def) => ({ ...def, sensitive: true }));

const pem = (node: LabNode, label: string) => {
  const body = Buffer.from(node.rng.hex(180), 'hex').toString('base64');
  return Buffer.from(`-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`).toString('base64');
};

/** Secret material shaped like Talos' (made up, but in the right places), so the redaction and the reveal can be tried. */
export function putSecretResources(node: LabNode): void {
  const r = node.resources;
  const y = (spec: unknown) => node.resourceYaml(spec);
  const { ip, hostname, type } = node.id;
  const owner = { owner: 'secrets.RootController' };
  r.put(
    'secrets',
    'ApiCertificates.secrets.talos.dev',
    'api',
    y({ acceptedCAs: [{ crt: pem(node, 'CERTIFICATE') }], server: { crt: pem(node, 'CERTIFICATE'), key: pem(node, 'EC PRIVATE KEY') } }),
    { owner: 'secrets.APIController' },
  );
  r.put(
    'secrets',
    'CertSANs.secrets.talos.dev',
    'api',
    y({ ips: [ip, '127.0.0.1', '::1'], dnsNames: [hostname, 'localhost'], fqdn: hostname }),
    {
      owner: 'secrets.CertSANsController',
    },
  );
  if (type !== 'controlplane') return;
  r.put(
    'secrets',
    'OSRootSecrets.secrets.talos.dev',
    'os',
    y({
      issuingCA: { crt: pem(node, 'CERTIFICATE'), key: pem(node, 'ED25519 PRIVATE KEY') },
      acceptedCAs: [{ crt: pem(node, 'CERTIFICATE') }],
      certSANIPs: [ip],
      certSANDNSNames: [hostname],
      token: `${node.rng.hex(6)}.${node.rng.hex(16)}`,
    }),
    owner,
  );
  r.put(
    'secrets',
    'EtcdRootSecrets.secrets.talos.dev',
    'etcd',
    y({ etcdCA: { crt: pem(node, 'CERTIFICATE'), key: pem(node, 'EC PRIVATE KEY') } }),
    owner,
  );
  r.put(
    'secrets',
    'KubernetesRootSecrets.secrets.talos.dev',
    'k8s',
    y({
      name: node.id.cluster,
      endpoint: `https://${ip}:6443`,
      issuingCA: { crt: pem(node, 'CERTIFICATE'), key: pem(node, 'RSA PRIVATE KEY') },
      serviceAccount: { key: pem(node, 'EC PRIVATE KEY') },
      aggregatorCA: { crt: pem(node, 'CERTIFICATE'), key: pem(node, 'RSA PRIVATE KEY') },
      aescbcEncryptionSecret: Buffer.from(node.rng.hex(64), 'hex').toString('base64'),
      bootstrapTokenID: node.rng.hex(6),
      bootstrapTokenSecret: node.rng.hex(16),
    }),
    owner,
  );
}
