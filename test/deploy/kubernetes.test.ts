/**
 * The Kubernetes manifests in deploy/kubernetes, on paper: every environment variable they set is
 * one the configuration reads (a typo fails here), secrets come only from the Secret, the settings
 * they give load without a problem, the probes hit /healthz and /readyz on the port the bot
 * listens on, and each Deployment has resources, a non-root security context and a disruption budget.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, SECRET_VARIABLES } from '../../src/config/index.js';

const DIR = 'deploy/kubernetes';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    minAvailable?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    ports?: { name?: string; port: number; targetPort: string | number }[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        containers: Container[];
        volumes?: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const manifests: Manifest[] = files
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(DIR, f), 'utf8')).map((doc) => {
      expect(doc.errors, f).toEqual([]);
      return doc.toJS() as Manifest;
    }),
  );
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const configMap = (name: string) => byKind('ConfigMap').find((m) => m.metadata.name === name);
const deployments = byKind('Deployment');
const containerOf = (d: Manifest) => {
  const containers = d.spec?.template?.spec.containers ?? [];
  expect(containers, d.metadata.name).toHaveLength(1);
  return containers[0] as Container;
};
const roleOf = (d: Manifest) => containerOf(d).env?.find((e) => e.name === 'ROLE')?.value;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The environment a container gets: its ConfigMaps, its own values, placeholders for secrets. */
function environmentOf(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const map = name ? configMap(name) : undefined;
    expect(map, `ConfigMap ${name}`).toBeDefined();
    Object.assign(env, map?.data);
  }
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (ref && !ref.optional)
      env[e.name] = e.name === 'SLACK_BOT_TOKEN' ? 'xoxb-placeholder' : 'placeholder';
  }
  return env;
}

/** ConfigMaps a Deployment mounts as files (the accounts file), not read as variables. */
const mountedAsFiles = new Set(
  deployments.flatMap((d) => (d.spec?.template?.spec.volumes ?? []).flatMap((v) => v.configMap?.name ?? [])),
);

/** The file at `file` inside a Deployment's container, written out where this test can read it. */
function mounted(d: Manifest, file: string): string {
  const mount = containerOf(d).volumeMounts?.find((m) => file.startsWith(`${m.mountPath}/`));
  const volume = d.spec?.template?.spec.volumes?.find((v) => v.name === mount?.name);
  const data = configMap(volume?.configMap?.name ?? '')?.data ?? {};
  const name = file.slice((mount?.mountPath.length ?? 0) + 1);
  expect(mount?.readOnly, `${d.metadata.name} mounts ${file} read-only`).toBe(true);
  expect(data[name], `${d.metadata.name}: ${file} is in a mounted ConfigMap`).toBeDefined();
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'k8s-')), name);
  writeFileSync(out, data[name] ?? '');
  return out;
}

describe('Kubernetes manifests', () => {
  it('are all listed in the kustomization', () => {
    const kustomization = parseAllDocuments(
      readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8'),
    )[0]?.toJS() as {
      resources: string[];
    };
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml').sort(),
    );
  });

  it('run the bot and the workers as separate Deployments (ROLE=bot, ROLE=worker)', () => {
    expect(deployments.map(roleOf).sort()).toEqual(['bot', 'worker']);
  });

  it('set only variables the configuration reads, and secrets only from the Secret', () => {
    const known = new Set(CONFIG_VARIABLES);
    const secret = new Set<string>(SECRET_VARIABLES);
    for (const d of deployments) {
      const container = containerOf(d);
      for (const source of container.envFrom ?? [])
        expect(source.secretRef, 'envFrom secretRef hides names').toBeUndefined();
      for (const e of container.env ?? []) {
        expect(known.has(e.name), `${d.metadata.name}: ${e.name} is not a configuration variable`).toBe(true);
        if (secret.has(e.name)) {
          expect(e.value, `${e.name} written into the manifest`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.key, e.name).toBe(e.name);
        }
      }
    }
    for (const map of byKind('ConfigMap').filter((m) => !mountedAsFiles.has(m.metadata.name))) {
      for (const key of Object.keys(map.data ?? {})) {
        expect(known.has(key), `ConfigMap ${map.metadata.name}: ${key} is not a configuration variable`).toBe(
          true,
        );
        expect(secret.has(key), `ConfigMap ${map.metadata.name}: ${key} is a secret`).toBe(false);
      }
    }
  });

  it('give each Deployment a configuration that loads, on Redis Sentinel, with the accounts file it mounts', () => {
    for (const d of deployments) {
      const env = environmentOf(containerOf(d));
      const config = loadConfig({ ...env, ACCOUNTS_FILE: mounted(d, env.ACCOUNTS_FILE ?? '') });
      expect(config.accounts.map((a) => a.name)).toEqual(['production', 'staging']);
      expect(config.role).toBe(roleOf(d));
      expect(config.redis.topology.mode).toBe('sentinel');
      expect(config.redis.replicaAcks).toBe(1);
    }
  });

  it('probe /healthz and /readyz on the port the process listens on', () => {
    for (const d of deployments) {
      const container = containerOf(d);
      const port = Number(environmentOf(container).PORT);
      const named = (p: string | number | undefined) =>
        typeof p === 'number' ? p : container.ports?.find((c) => c.name === p)?.containerPort;
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(named(container.readinessProbe?.httpGet?.port)).toBe(port);
      expect(named(container.livenessProbe?.httpGet?.port)).toBe(port);
    }
  });

  it('expose the bot, and only the bot, through a Service on its HTTP port', () => {
    const [service] = byKind('Service');
    expect(byKind('Service')).toHaveLength(1);
    const bot = deployments.find((d) => roleOf(d) === 'bot') as Manifest;
    const worker = deployments.find((d) => roleOf(d) === 'worker') as Manifest;
    const selector = service?.spec?.selector as Record<string, string> | undefined;
    expect(matches(selector, bot.spec?.template?.metadata.labels ?? {})).toBe(true);
    expect(matches(selector, worker.spec?.template?.metadata.labels ?? {})).toBe(false);
    const target = service?.spec?.ports?.[0]?.targetPort;
    const container = containerOf(bot);
    expect(container.ports?.find((p) => p.name === target)?.containerPort).toBe(
      Number(environmentOf(container).PORT),
    );
  });

  it('run as the image’s non-root user, with resources and a disruption budget for each Deployment', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^USER node$/m); // uid 1000 in the node images
    for (const d of deployments) {
      const pod = d.spec?.template?.spec;
      expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const container = containerOf(d);
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits?.memory).toEqual(expect.any(String));
      const budgets = byKind('PodDisruptionBudget').filter((b) =>
        matches(b.spec?.selector?.matchLabels, d.spec?.template?.metadata.labels ?? {}),
      );
      expect(budgets, d.metadata.name).toHaveLength(1);
      expect(budgets[0]?.spec?.minAvailable).toBeLessThan(d.spec?.replicas ?? 1);
      expect(matches(d.spec?.selector?.matchLabels, d.spec?.template?.metadata.labels ?? {})).toBe(true);
    }
  });
});
