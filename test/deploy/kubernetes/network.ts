import type { KubeObject } from './kustomize.js';
import {
  type Container,
  type Deployment,
  deploymentsOf,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicyRule,
  ofKind,
  podLabels,
  portNumber,
  selects,
} from './manifests.js';

/*
 * NetworkPolicy as the API defines it, for the connections the rules ask about: a pod is isolated
 * in a direction once a policy of that type selects it, and then takes (or makes) only the
 * connections some rule of those policies allows; a connection needs both the source's egress
 * and the destination's ingress. Peers: podSelector alone means the policy's namespace,
 * namespaceSelector picks namespaces by their labels, ipBlock addresses outside the cluster. A
 * named port is the destination container's port of that name. IPv4 only, TCP unless said.
 */

export interface PodEndpoint {
  kind: 'pod';
  namespace: string;
  labels: Record<string, string>;
  containers: Container[];
}

export interface AddressEndpoint {
  kind: 'address';
  address: string;
}

export type Endpoint = PodEndpoint | AddressEndpoint;

/** Namespaces carry their name as a label (kubernetes.io/metadata.name), which selectors use. */
const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

export function podOf(deployment: Deployment): PodEndpoint {
  return {
    kind: 'pod',
    namespace: deployment.metadata.namespace ?? 'default',
    labels: podLabels(deployment),
    containers: deployment.spec.template.spec.containers,
  };
}

/** A pod of another namespace (the ingress controller's, Prometheus's, the DNS server's). */
export const foreignPod = (namespace: string, labels: Record<string, string> = {}): PodEndpoint => ({
  kind: 'pod',
  namespace,
  labels,
  containers: [],
});

const ipv4 = (address: string) => address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

export function inCidr(address: string, cidr: string): boolean {
  const [network = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(network) / size);
}

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    return (
      endpoint.kind === 'address' &&
      inCidr(endpoint.address, cidr) &&
      !except.some((range) => inCidr(endpoint.address, range))
    );
  }
  if (endpoint.kind !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(endpoint.namespace))
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, endpoint.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(
  ports: NetworkPolicyPort[] | undefined,
  destination: Endpoint,
  port: number,
  protocol: string,
) {
  if (!ports || ports.length === 0) return true;
  return ports.some((candidate) => {
    if ((candidate.protocol ?? 'TCP') !== protocol) return false;
    if (candidate.port === undefined) return true;
    if (typeof candidate.port === 'number') return candidate.port === port;
    // A named port: the destination's container port of that name.
    return (
      destination.kind === 'pod' &&
      destination.containers.some((container: Container) => portNumber(container, candidate.port) === port)
    );
  });
}

const typesOf = (policy: NetworkPolicy): ('Ingress' | 'Egress')[] =>
  policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);

export class NetworkPolicies {
  readonly #policies: NetworkPolicy[];

  constructor(objects: readonly KubeObject[]) {
    this.#policies = ofKind<'NetworkPolicy', NetworkPolicy>(objects, 'NetworkPolicy');
  }

  #allows(
    direction: 'Ingress' | 'Egress',
    subject: Endpoint,
    peer: Endpoint,
    destination: Endpoint,
    port: number,
    protocol: string,
  ) {
    if (subject.kind !== 'pod') return true;
    const governing = this.#policies.filter(
      (policy) =>
        (policy.metadata.namespace ?? 'default') === subject.namespace &&
        typesOf(policy).includes(direction) &&
        selects(policy.spec.podSelector as LabelSelector, subject.labels),
    );
    // Not isolated in this direction: everything goes (the namespace here is never that).
    if (governing.length === 0) return true;
    return governing.some((policy) =>
      ((direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []).some(
        (rule: NetworkPolicyRule) => {
          const peers = direction === 'Ingress' ? rule.from : rule.to;
          const peerOk =
            !peers ||
            peers.length === 0 ||
            peers.some((candidate) => peerMatches(candidate, subject.namespace, peer));
          return peerOk && portMatches(rule.ports, destination, port, protocol);
        },
      ),
    );
  }

  /** Whether `from`'s egress rules let it open a connection to `to` on `port`. */
  egressAllows(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
    return this.#allows('Egress', from, to, to, port, protocol);
  }

  /** Whether `to`'s ingress rules let `from` open a connection to it on `port`. */
  ingressAllows(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
    return this.#allows('Ingress', to, from, to, port, protocol);
  }

  /** Whether `from` may open a connection to `to` on `port`: both sides must allow it. */
  allows(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
    return this.egressAllows(from, to, port, protocol) && this.ingressAllows(from, to, port, protocol);
  }
}

/** Every Deployment's pod, by Deployment name. */
export const podsOf = (objects: readonly KubeObject[]) =>
  new Map(deploymentsOf(objects).map((deployment) => [deployment.metadata.name, podOf(deployment)]));
