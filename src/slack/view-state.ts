/**
 * Reads a modal's `view.state.values` back into plain form values keyed by block id (which is
 * the API parameter name): text as typed, a select's or radio's option value, and for
 * checkboxes `true`/`false` (a boolean parameter's one option has the value `true`). The gate
 * checks the shape (`viewStateValues`), so a submission whose state is not shaped so is refused
 * before it reaches here.
 */
import { array, type Checked, nullable, object, optional, record, string } from './shape.js';

const selectedOption = object({ value: string, text: optional(object({ text: string })) });

const elementState = object({
  type: optional(string),
  value: optional(nullable(string)),
  selected_option: optional(nullable(selectedOption)),
  selected_options: optional(array(selectedOption)),
});

/** The shape of `view.state.values`: block id → action id → the element's state. */
export const viewStateValues = record(record(elementState));

export type ElementState = Checked<typeof elementState>;
export type ViewStateValues = Checked<typeof viewStateValues>;

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

/**
 * The labels of the options chosen so far (a VPC's name and id as its pick-list showed it), by
 * block id: a modal rebuilt from the values shows them again as they were, not as bare ids.
 */
export function readViewLabels(values: ViewStateValues | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values ?? {}))
    for (const element of Object.values(actions)) {
      const label = element.selected_option?.text?.text;
      if (label) out[blockId] = label;
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
