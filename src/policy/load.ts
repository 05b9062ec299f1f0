/**
 * Reading a policy file: YAML in, compiled rules out, or one PolicyError listing every problem
 * with its line and column (and the rule it is in), so an operator fixes the file in one pass.
 *
 *   rules:
 *     - name: prepay-needs-two          letters, digits, "-", "_", "." (shown in Slack as is)
 *       when: request.params.InstanceChargeType == "PREPAY"    a CEL condition
 *       deny: { en: "…", zh-CN: "…" }   and/or
 *       approvals: 2                    and/or
 *       approvers: [S0LEADS, U024BE7LH]
 */
import { readFile, stat } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from 'yaml';
import { ConfigError, SLACK_USER_ID, SLACK_USERGROUP_ID } from '../config/index.js';
import { LOCALES, type Locale, type Text } from '../i18n/index.js';
import { type ConditionNote, compileCondition } from './condition.js';
import { POLICY_LIMITS } from './limits.js';
import type { Policy, PolicyProblem, PolicyRule, SourcePosition } from './types.js';

const RULE_FIELDS = ['name', 'when', 'deny', 'approvals', 'approvers'] as const;
const TOP_LEVEL_FIELDS = ['rules'] as const;
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The same bounds as REQUIRED_APPROVALS. */
const MAX_APPROVALS = 10;

/** Every problem of one policy file. A ConfigError, since POLICY_FILE is configuration. */
export class PolicyError extends ConfigError {
  readonly source: string;
  readonly issues: readonly PolicyProblem[];
  constructor(source: string, issues: readonly PolicyProblem[]) {
    const lines = issues.map((p) => formatProblem(source, p));
    super(lines);
    this.name = 'PolicyError';
    this.source = source;
    this.issues = issues;
    this.message = `Policy file ${source} is invalid (${issues.length} problem${
      issues.length === 1 ? '' : 's'
    }):\n${lines.map((l) => `  - ${l}`).join('\n')}`;
  }
}

/** `file:line:column: rule "name": message`, as problems and warnings are shown. */
export function formatProblem(source: string, p: PolicyProblem): string {
  const where =
    p.rule === undefined ? '' : p.rule.startsWith('#') ? `rule ${p.rule}: ` : `rule "${p.rule}": `;
  return `${source}:${p.line}:${p.column}: ${where}${p.message}`;
}

/** Reads and compiles a policy file; throws a PolicyError listing every problem. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    // Not read at all when far too large (parsePolicy checks the length of what is read).
    const { size } = await stat(path);
    if (size > POLICY_LIMITS.maxFileBytes) throw new PolicyError(path, [tooLarge(size)]);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new PolicyError(path, [
      { line: 1, column: 1, message: `POLICY_FILE cannot be read (${why ?? 'unknown error'})` },
    ]);
  }
  return parsePolicy(text, path);
}

function tooLarge(bytes: number): PolicyProblem {
  return {
    line: 1,
    column: 1,
    message: `the file is ${bytes} bytes, more than ${POLICY_LIMITS.maxFileBytes}; a policy is a list of short rules`,
  };
}

/** Compiles a policy from its text; `source` names it in messages. Throws a PolicyError. */
export function parsePolicy(text: string, source: string): Policy {
  const bytes = Buffer.byteLength(text);
  if (bytes > POLICY_LIMITS.maxFileBytes) throw new PolicyError(source, [tooLarge(bytes)]);
  const lineCounter = new LineCounter();
  // Duplicate keys are found below, where they can be reported at the second occurrence.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  const atNode = (node: Node | null | undefined, fallback = 0): SourcePosition =>
    at(node?.range?.[0] ?? fallback);

  for (const e of [...doc.errors, ...doc.warnings]) {
    problems.push({
      ...at(e.pos[0]),
      message:
        e.code === 'MULTIPLE_DOCS'
          ? 'YAML: the file holds more than one document (a second "---"); keep every rule under one rules: list'
          : `YAML: ${e.message}`,
    });
  }
  // After a syntax error the shape of what follows cannot be trusted; report what YAML said.
  if (doc.errors.length > 0) throw new PolicyError(source, problems);

  const rules: PolicyRule[] = [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    problems.push({ line: 1, column: 1, message: 'the file is empty: it needs a top-level "rules:" list' });
  } else if (!isMap(root)) {
    problems.push({ ...atNode(root), message: 'the top level must be a mapping with a "rules:" list' });
  } else {
    const fields = fieldsOf(root, TOP_LEVEL_FIELDS, undefined, problems, atNode);
    const list = fields.get('rules');
    if (list === undefined) {
      problems.push({ ...atNode(root), message: 'there is no "rules:" list (write "rules: []" for none)' });
    } else if (!isSeq(list.value)) {
      problems.push({
        ...atNode(list.value, list.keyOffset),
        message: 'rules must be a list of rules, each starting with "- name:" (write "rules: []" for none)',
      });
    } else {
      const context: RuleContext = { text, problems, warnings, atNode, at, firstByName: new Map() };
      const extra = list.value.items[POLICY_LIMITS.maxRules] as Node | undefined;
      if (extra) {
        problems.push({
          ...atNode(extra),
          rule: `#${POLICY_LIMITS.maxRules + 1}`,
          message: `the policy has ${list.value.items.length} rules, more than ${POLICY_LIMITS.maxRules}; every request is checked against every rule`,
        });
      }
      list.value.items.forEach((item, index) => {
        const rule = compileRule(item as Node, index, context);
        if (rule) rules.push(rule);
      });
    }
  }
  if (problems.length > 0) throw new PolicyError(source, problems.sort(inFileOrder));
  return { source, rules, warnings: warnings.sort(inFileOrder) };
}

const inFileOrder = (a: SourcePosition, b: SourcePosition) => a.line - b.line || a.column - b.column;

interface Field {
  value: Node | null;
  /** Where the key is: the fallback position for an empty value. */
  keyOffset: number;
}

type AtNode = (node: Node | null | undefined, fallback?: number) => SourcePosition;

/** A mapping's fields by name, reporting unknown, misspelt, repeated and non-string keys. */
function fieldsOf(
  map: YAMLMap,
  known: readonly string[],
  rule: string | undefined,
  problems: PolicyProblem[],
  atNode: AtNode,
): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (const pair of map.items as Pair<Node | null, Node | null>[]) {
    const key = pair.key;
    const where = { ...atNode(key), ...(rule === undefined ? {} : { rule }) };
    if (!isScalar(key) || typeof key.value !== 'string') {
      problems.push({ ...where, message: `field names must be words: ${known.join(', ')}` });
      continue;
    }
    const name = key.value;
    if (!known.includes(name)) {
      const guess = closest(name, known);
      problems.push({
        ...where,
        message: `unknown field "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; the fields are ${known.join(', ')}`,
      });
      continue;
    }
    const first = fields.get(name);
    if (first) {
      problems.push({
        ...where,
        message: `field "${name}" appears twice (first at line ${atNode(null, first.keyOffset).line})`,
      });
      continue;
    }
    fields.set(name, { value: pair.value, keyOffset: key.range?.[0] ?? 0 });
  }
  return fields;
}

interface RuleContext {
  text: string;
  problems: PolicyProblem[];
  warnings: PolicyProblem[];
  atNode: AtNode;
  at: (offset: number) => SourcePosition;
  /** Where each name was first used, to report a repeated one. */
  firstByName: Map<string, SourcePosition>;
}

/** One rule, compiled; undefined (with its problems reported) when anything is wrong with it. */
function compileRule(item: Node, index: number, context: RuleContext): PolicyRule | undefined {
  const { text, problems, atNode, at } = context;
  const before = problems.length;
  const position = atNode(item);
  if (!isMap(item)) {
    problems.push({
      ...position,
      rule: `#${index + 1}`,
      message: 'a rule must be a mapping with name, when and at least one of deny, approvals, approvers',
    });
    return undefined;
  }
  const nameNode = item.get('name', true) as Node | undefined;
  const usableName =
    isScalar(nameNode) && typeof nameNode.value === 'string' && RULE_NAME.test(nameNode.value)
      ? nameNode.value
      : undefined;
  const label = usableName ?? `#${index + 1}`;
  const fields = fieldsOf(item, RULE_FIELDS, label, problems, atNode);
  const problem = (field: Field | undefined, message: string) =>
    problems.push({ ...(field ? atNode(field.value, field.keyOffset) : position), rule: label, message });

  const name = fields.get('name');
  if (name === undefined) problem(undefined, 'the rule has no name (add "name: some-name")');
  else if (usableName === undefined) {
    problem(
      name,
      `name must be 1 to 64 letters, digits, "-", "_" or ".", starting with a letter or digit, such as prepay-needs-two (got ${describe(name.value)})`,
    );
  } else {
    const first = context.firstByName.get(usableName);
    if (first) {
      problem(
        name,
        `the name is already used by the rule at line ${first.line}; each rule needs its own name`,
      );
    } else {
      context.firstByName.set(usableName, position);
    }
  }

  const when = fields.get('when');
  let condition: { when: string; test: PolicyRule['test'] } | undefined;
  if (when === undefined) {
    problem(undefined, 'the rule has no condition (add "when:" with a CEL expression, or when: "true")');
  } else if (
    !isScalar(when.value) ||
    typeof when.value.value !== 'string' ||
    when.value.value.trim() === ''
  ) {
    problem(
      when,
      `when must be a CEL expression in a string, such as request.operation == "delete" (got ${describe(when.value)}; for a rule that always applies, write when: "true")`,
    );
  } else {
    const whenNode = when.value;
    const expression = when.value.value;
    const compiled = compileCondition(expression);
    const place = (note: ConditionNote): PolicyProblem => {
      const offset = note.offset === undefined ? undefined : sourceOffset(whenNode, text, note.offset);
      return {
        ...(offset === undefined ? atNode(whenNode) : at(offset)),
        rule: label,
        message: `when: ${note.message}${
          offset === undefined && note.offset !== undefined
            ? ` (at character ${note.offset + 1} of the condition)`
            : ''
        }`,
      };
    };
    if (compiled.ok) {
      condition = { when: expression, test: compiled.test };
      context.warnings.push(...compiled.warnings.map(place));
    } else {
      problems.push(...compiled.problems.map(place));
    }
  }

  const deny = fields.has('deny')
    ? denyMessages(fields.get('deny') as Field, label, problems, atNode)
    : undefined;

  const approvalsField = fields.get('approvals');
  let approvals: number | undefined;
  if (approvalsField) {
    const v = isScalar(approvalsField.value) ? approvalsField.value.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_APPROVALS) {
      problem(
        approvalsField,
        `approvals must be a whole number from 1 to ${MAX_APPROVALS} (got ${describe(approvalsField.value)})`,
      );
    } else {
      approvals = v;
    }
  }

  const approversField = fields.get('approvers');
  let approvers: string[] | undefined;
  if (approversField) approvers = approverIds(approversField, label, problems, atNode);

  if (!fields.has('deny') && !approvalsField && !approversField) {
    problem(undefined, 'the rule has no effect: give it at least one of deny, approvals, approvers');
  }
  const peopleOnly = approvers?.every((id) => !SLACK_USERGROUP_ID.test(id)) === true;
  if (peopleOnly && approvals !== undefined && (approvers?.length ?? 0) < approvals) {
    problem(
      approvalsField,
      `approvals is ${approvals} but approvers names only ${approvers?.length} person(s) and no group: no request matching this rule could ever be approved`,
    );
  }

  if (problems.length > before || usableName === undefined || condition === undefined) return undefined;
  return {
    name: usableName,
    when: condition.when,
    ...(deny ? { deny } : {}),
    ...(approvals !== undefined ? { approvals } : {}),
    ...(approvers ? { approvers } : {}),
    position,
    test: condition.test,
  };
}

function denyMessages(
  field: Field,
  rule: string,
  problems: PolicyProblem[],
  atNode: AtNode,
): Text | undefined {
  const where = (node: Node | null | undefined, fallback: number) => ({ ...atNode(node, fallback), rule });
  if (!isMap(field.value)) {
    problems.push({
      ...where(field.value, field.keyOffset),
      message: `deny must give the message in every language: { ${LOCALES.map((l) => `${l}: "…"`).join(', ')} }`,
    });
    return undefined;
  }
  const messages = fieldsOf(field.value, LOCALES, rule, problems, atNode);
  const out: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const m = messages.get(locale);
    if (m === undefined) {
      problems.push({ ...where(field.value, field.keyOffset), message: `deny has no message in ${locale}` });
    } else if (!isScalar(m.value) || typeof m.value.value !== 'string' || m.value.value.trim() === '') {
      problems.push({ ...where(m.value, m.keyOffset), message: `deny.${locale} must be a non-empty string` });
    } else {
      out[locale] = m.value.value.trim();
    }
  }
  return LOCALES.every((l) => out[l] !== undefined) ? (out as Text) : undefined;
}

function approverIds(
  field: Field,
  rule: string,
  problems: PolicyProblem[],
  atNode: AtNode,
): string[] | undefined {
  const value = field.value;
  if (!isSeq(value) || value.items.length === 0) {
    problems.push({
      ...atNode(value, field.keyOffset),
      rule,
      message:
        'approvers must be a non-empty list of Slack user ids (U…) and user group ids (S…), such as [S0LEADS]',
    });
    return undefined;
  }
  const ids: string[] = [];
  let ok = true;
  for (const item of value.items as (Node | null)[]) {
    const id = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
    if (id === undefined || !(SLACK_USER_ID.test(id) || SLACK_USERGROUP_ID.test(id))) {
      ok = false;
      problems.push({
        ...atNode(item, field.keyOffset),
        rule,
        message: `approvers: ${describe(item)} is not a Slack user id (U024BE7LH) or user group id (S0614TZR7); use the id, not the @name`,
      });
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  return ok ? ids : undefined;
}

/** Where the character at `offset` of a condition is in the file, when the scalar maps 1:1. */
function sourceOffset(node: Node, text: string, offset: number): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const [start, end] = node.range;
  const raw = text.slice(start, end);
  const value = node.value;
  switch (node.type) {
    case 'PLAIN':
      return raw === value ? start + offset : undefined;
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE':
      return raw.slice(1, -1) === value ? start + 1 + offset : undefined;
    case 'BLOCK_LITERAL': {
      // The header line ("|", "|-"), then the value's lines, each behind the block's indentation.
      const before = value.slice(0, offset).split('\n');
      const lineIndex = before.length - 1;
      const column = (before[lineIndex] ?? '').length;
      const sourceLines = raw.split('\n');
      const content = sourceLines.slice(1);
      const indent = (content.find((l) => l.trim() !== '') ?? '').search(/\S/);
      const valueLine = value.split('\n')[lineIndex] ?? '';
      const sourceLine = content[lineIndex];
      if (indent < 0 || sourceLine === undefined || sourceLine.slice(indent) !== valueLine) return undefined;
      const lineStart =
        start +
        (sourceLines[0]?.length ?? 0) +
        1 +
        content.slice(0, lineIndex).reduce((n, l) => n + l.length + 1, 0);
      return lineStart + indent + column;
    }
    default:
      return undefined;
  }
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) return node.value === null ? 'nothing' : JSON.stringify(node.value);
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  return 'something else';
}

/** The known name closest to a misspelt one, when it is close enough to be a typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed =
    lower.length >= 2
      ? known.find((k) => k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()))
      : undefined;
  if (prefixed) return prefixed;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
