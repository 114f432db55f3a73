import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { CriImage, SbomItem } from '../../../shared/domain/compliance';

export interface NodeSbomInput {
  node: string;
  hostname: string | null;
  talosVersion: string | null;
  items: SbomItem[];
  images: CriImage[];
  /** The pack's collection time; the SBOM carries it so the file is reproducible from the evidence. */
  timestamp: Date;
}

/** A purl only when it parses (scanners match on it), in its canonical text form. */
function purlOf(text: string): string | undefined {
  try {
    return PackageURL.fromString(text).toString();
  } catch {
    return undefined;
  }
}

/** An OCI purl for a container image: `pkg:oci/<name>@sha256:…?repository_url=<registry/path>`. */
function imagePurl(image: CriImage): string | undefined {
  if (!image.digest.startsWith('sha256:')) return undefined;
  const ref = image.name.split('@')[0]!;
  const withoutTag = ref.replace(/:[^/:]+$/, '');
  const name = withoutTag.split('/').pop() ?? withoutTag;
  return new PackageURL('oci', undefined, name.toLowerCase(), image.digest, { repository_url: withoutTag }, undefined).toString();
}

function license(text: string | null): CDX.Models.License[] {
  if (!text || text === 'NOASSERTION') return [];
  const id = CDX.SPDX.fixupSpdxId(text);
  if (id) return [new CDX.Models.SpdxLicense(id)];
  if (/\s(AND|OR|WITH)\s/.test(text)) return [new CDX.Models.LicenseExpression(text)];
  return [new CDX.Models.NamedLicense(text)];
}

/**
 * A CycloneDX 1.6 BOM of one node, from Talos' own SBOMItems (the OS, its packages and each extension's,
 * flagged with the property `talos:extension`) and the CRI images the node holds (one component per image
 * digest, every name it goes by as a property), so Trivy or Grype can scan the node from this file alone.
 */
export function buildNodeSbom(input: NodeSbomInput): CDX.Models.Bom {
  const bom = new CDX.Models.Bom();
  bom.metadata.timestamp = input.timestamp;
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'Nodeglass'));
  const talos = input.items.find((i) => i.name === 'Talos');
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.OperatingSystem, 'Talos', {
    version: talos?.version ?? input.talosVersion ?? undefined,
    bomRef: 'node',
    description: `Talos Linux node ${input.node}${input.hostname ? ` (${input.hostname})` : ''}`,
  });
  bom.metadata.properties.add(new CDX.Models.Property('talos:node', input.node));

  const seen = new Set<string>();
  for (const item of input.items) {
    const ref = `sbom:${item.name}@${item.version}${item.extension ? ':ext' : ''}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const purl = item.purls.map(purlOf).find(Boolean);
    const type = item.name === 'Talos' ? CDX.Enums.ComponentType.OperatingSystem : CDX.Enums.ComponentType.Library;
    const component = new CDX.Models.Component(type, item.name, {
      version: item.version || undefined,
      bomRef: ref,
      purl,
      cpe: item.cpes[0],
    });
    for (const l of license(item.license)) component.licenses.add(l);
    for (const extra of item.purls.slice(1)) component.properties.add(new CDX.Models.Property('talos:purl', extra));
    for (const extra of item.cpes.slice(1)) component.properties.add(new CDX.Models.Property('talos:cpe', extra));
    component.properties.add(new CDX.Models.Property('talos:extension', String(item.extension)));
    bom.components.add(component);
  }

  const byDigest = new Map<string, CriImage[]>();
  for (const image of input.images) byDigest.set(image.digest, [...(byDigest.get(image.digest) ?? []), image]);
  for (const [digest, names] of byDigest) {
    const primary = names.find((n) => !n.name.includes('@')) ?? names[0]!;
    const ref = primary.name.split('@')[0]!;
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Container, ref.replace(/:[^/:]+$/, ''), {
      version: /:[^/:]+$/.exec(ref)?.[0].slice(1) ?? digest,
      bomRef: `image:${digest}`,
      purl: imagePurl(primary),
    });
    if (digest.startsWith('sha256:')) component.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], digest.slice('sha256:'.length));
    for (const n of names) component.properties.add(new CDX.Models.Property('talos:image-name', n.name));
    bom.components.add(component);
  }
  return bom;
}

const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));

export function serializeSbom(bom: CDX.Models.Bom): string {
  return serializer.serialize(bom, { sortLists: true, space: 1 }) + '\n';
}

/** Validates a BOM against the CycloneDX 1.6 JSON schema bundled with the library (no network); null = valid. */
export async function validateSbom(text: string): Promise<string | null> {
  const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text);
  return errors === null || errors === undefined ? null : JSON.stringify(errors).slice(0, 2000);
}
