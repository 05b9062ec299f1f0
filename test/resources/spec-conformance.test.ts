import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../src/resources/index.js';

const SPECS = path.resolve(process.cwd(), '../shared/specs/aliyun-vpc');
const present = existsSync(SPECS);
if (!present) console.warn(`resource metadata checks skipped: Alibaba's metadata is not at ${SPECS}`);

const TYPE = { string: 'String', integer: 'Integer', boolean: 'Boolean', tags: 'RepeatList' } as const;

interface Meta {
  parameters: { name: string; type: string; required: boolean }[];
}
const meta = (action: string) => JSON.parse(readFileSync(path.join(SPECS, `${action}.json`), 'utf8')) as Meta;

describe("resource declarations against Alibaba's official metadata", () => {
  for (const resource of resources()) {
    it.skipIf(!present)(
      `${resource.create.action}: every parameter exists with its type, every required one is declared`,
      () => {
        const official = meta(resource.create.action);
        for (const param of resource.params) {
          // `IkeConfig.IkeVersion` is a field of the JSON string IkeConfig; `TunnelOptionsSpecification.1.…`
          // a field of an element of an array: the form asks for it, the declaration's `wire` sends it.
          const [root = '', ...rest] = param.name.split('.');
          const found = official.parameters.find((p) => p.name === root);
          expect(found, param.name).toBeDefined();
          if (rest.length === 0) expect(found?.type, param.name).toBe(TYPE[param.type]);
          else expect(['String', 'Array', 'RepeatList'], param.name).toContain(found?.type);
        }
        for (const required of official.parameters.filter((p) => p.required)) {
          expect(resource.params.find((p) => p.name === required.name)?.required, required.name).toBe(true);
        }
      },
    );
    it.skipIf(!present)(
      `${resource.type}: its list action exists and filters by ${resource.list.idParam}`,
      () => {
        const list = meta(resource.list.action);
        expect(list.parameters.map((p) => p.name)).toEqual(
          expect.arrayContaining(['RegionId', 'PageNumber', 'PageSize', resource.list.idParam]),
        );
      },
    );
    it.skipIf(!present || !resource.delete)(
      `${resource.type}: its delete action takes the id and a ClientToken`,
      () => {
        const remove = meta(resource.delete?.action ?? '');
        expect(remove.parameters.map((p) => p.name)).toEqual(
          expect.arrayContaining(['RegionId', resource.list.idParam, 'ClientToken']),
        );
        for (const required of remove.parameters.filter((p) => p.required))
          expect(['RegionId', resource.list.idParam], required.name).toContain(required.name);
      },
    );
    it.skipIf(!present || !resource.reveal)(`${resource.type}: what it keeps back is read by id`, () => {
      const read = meta(resource.reveal?.action ?? '');
      expect(read.parameters.map((p) => p.name)).toEqual(
        expect.arrayContaining(['RegionId', resource.list.idParam]),
      );
    });
    it.skipIf(!present || !resource.peerConfig)(
      `${resource.type}: its peer's configuration is read by id, nothing else required`,
      () => {
        for (const action of resource.peerConfig?.actions ?? []) {
          const read = meta(action);
          expect(
            read.parameters
              .filter((p) => p.required)
              .map((p) => p.name)
              .sort(),
            action,
          ).toEqual(['RegionId', resource.list.idParam].sort());
        }
      },
    );
  }
});
