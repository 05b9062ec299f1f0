/**
 * Reads a modal's `view.state.values` back into plain form values keyed by block id (which is
 * the API parameter name): text as typed, a select's or radio's option value, and for
 * checkboxes `true`/`false` (a boolean parameter's one option has the value `true`). The shape
 * is a schema, so a submission whose state is not shaped so is refused before it reaches here.
 */
import { z } from 'zod';

const selectedOption = z.looseObject({ value: z.string() });

export const elementStateSchema = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullable().optional(),
  selected_option: selectedOption.nullable().optional(),
  selected_options: z.array(selectedOption).optional(),
});

/** `view.state.values`: block id → action id → the element's state. */
export const viewStateValuesSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));

export type ElementState = z.infer<typeof elementStateSchema>;
export type ViewStateValues = z.infer<typeof viewStateValuesSchema>;

export function readViewValues(values: ViewStateValues | undefined): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    for (const element of Object.values(actions)) {
      if (element.type === 'checkboxes') {
        out[blockId] = (element.selected_options ?? []).some((o) => o.value === 'true');
      } else if (element.selected_option !== undefined) {
        if (element.selected_option) out[blockId] = element.selected_option.value;
      } else if (typeof element.value === 'string') {
        out[blockId] = element.value;
      }
    }
  }
  return out;
}

/** One selected value from the state, e.g. the region chosen so far while VPC options load. */
export function selectedValue(values: ViewStateValues | undefined, blockId: string): string | undefined {
  const actions = values?.[blockId];
  if (!actions) return undefined;
  for (const element of Object.values(actions)) {
    const value = element.selected_option?.value ?? element.value ?? undefined;
    if (value) return value;
  }
  return undefined;
}
