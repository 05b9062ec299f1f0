import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../src/resources/index.js';

const SPECS = path.resolve(process.cwd(), '../shared/specs/aliyun-vpc');
const present = existsSync(SPECS);
if (!present) console.warn(`resource metadata checks skipped: Alibaba's metadata is not at ${SPECS}`);

const TYPE = { string: 'String', integer: 'Integer', boolean: 'Boolean', tags: 'RepeatList' } as const;

describe("resource declarations against Alibaba's official metadata", () => {
  for (const resource of resources()) {
    it.skipIf(!present)(
      `${resource.create.action}: every parameter exists with its type, every required one is declared`,
      () => {
        const meta = JSON.parse(readFileSync(path.join(SPECS, `${resource.create.action}.json`), 'utf8')) as {
          parameters: { name: string; type: string; required: boolean }[];
        };
        for (const param of resource.params) {
          const official = meta.parameters.find((p) => p.name === param.name);
          expect(official, param.name).toBeDefined();
          expect(official?.type, param.name).toBe(TYPE[param.type]);
        }
        for (const required of meta.parameters.filter((p) => p.required)) {
          expect(resource.params.find((p) => p.name === required.name)?.required, required.name).toBe(true);
        }
      },
    );
    it.skipIf(!present || !resource.watch)(
      `${resource.type}: its watch lists with an action that exists`,
      () => {
        const action = resource.watch?.list.action ?? '';
        expect(existsSync(path.join(SPECS, `${action}.json`)), action).toBe(true);
      },
    );
  }
});
