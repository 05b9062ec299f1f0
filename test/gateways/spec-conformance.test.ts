import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getGatewaySpec } from '../../src/gateways/index.js';

const SPECS = path.resolve(process.cwd(), '../shared/specs/aliyun-vpc');
const present = existsSync(SPECS);
if (!present) console.warn(`gateway metadata checks skipped: Alibaba's metadata is not at ${SPECS}`);

const TYPE = { string: 'String', integer: 'Integer', boolean: 'Boolean' } as const;

describe("gateway declarations against Alibaba's official metadata", () => {
  for (const kind of ['vpn', 'customer'] as const) {
    const spec = getGatewaySpec(kind);
    it.skipIf(!present)(
      `${spec.action}: every parameter exists with its type, every required one is declared`,
      () => {
        const meta = JSON.parse(readFileSync(path.join(SPECS, `${spec.action}.json`), 'utf8')) as {
          parameters: { name: string; type: string; required: boolean }[];
        };
        for (const param of spec.params) {
          const official = meta.parameters.find((p) => p.name === param.name);
          expect(official, param.name).toBeDefined();
          expect(official?.type, param.name).toBe(TYPE[param.type]);
        }
        for (const required of meta.parameters.filter((p) => p.required)) {
          expect(spec.params.find((p) => p.name === required.name)?.required, required.name).toBe(true);
        }
      },
    );
  }
});
