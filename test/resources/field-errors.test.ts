/**
 * Field errors read one way in English, whichever rule speaks: "<Label>: <what is wrong>. <what to
 * do>." The label first, what is wrong in lower case (or starting with the value in question),
 * and last a sentence that tells the person what to do. Held over every error a battery of bad
 * input draws from every declaration's rules and the validation's own checks, and over the
 * declarations' rule messages themselves.
 */
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/index.js';
import { resources } from '../../src/resources/index.js';
import { fieldErrorsOfBadInput } from '../support/field-errors.js';

/** Verbs a "what to do" sentence starts with. */
const WHAT_TO_DO =
  /^(Choose|Enter|Use|Remove|Start|Type|Write|Leave|Keep|Pick|Ask|Delete|Fill|Wait|Run|Say|Rename|Shorten)\b/;

/** Why an English field error breaks the phrasing, or undefined. */
function phrasingProblem(label: string, error: string): string | undefined {
  if (!error.startsWith(`${label}: `)) return 'does not start with "<Label>: "';
  return problemPhrasing(error.slice(label.length + 2));
}

/** Why the part after the label breaks "<what is wrong>. <what to do>.", or undefined. */
function problemPhrasing(problem: string): string | undefined {
  if (!/^[a-z0-9"“]/.test(problem)) return 'what is wrong does not follow the label in lower case';
  if (WHAT_TO_DO.test(problem)) return 'starts with what to do, not with what is wrong';
  if (!problem.endsWith('.')) return 'does not end with a full stop';
  // The last sentence: after the last ". " that a capital follows (values such as 47.96.1.10 hold dots).
  const sentences = problem.split(/(?<=\.) (?=[A-Z])/);
  if (sentences.length < 2) return 'says what is wrong but not what to do';
  const last = sentences.at(-1) ?? '';
  if (!WHAT_TO_DO.test(last)) return `the last sentence does not say what to do: "${last}"`;
  return undefined;
}

describe('the phrasing check itself', () => {
  it('refuses the old phrasings and passes the one', () => {
    expect(phrasingProblem('Name', 'Name is required.')).toBeDefined();
    expect(phrasingProblem('Name', 'Name: It must not start with http://.')).toBeDefined();
    expect(phrasingProblem('Name', 'Name: must not start with http://.')).toBeDefined();
    expect(
      phrasingProblem('Period', 'Period: Choose a subscription period: PREPAY needs one.'),
    ).toBeDefined();
    expect(phrasingProblem('IP', 'IP: 47.96.1.10 is taken.')).toBeDefined();
    expect(phrasingProblem('Name', 'Name: starts with http://. Remove the prefix.')).toBeUndefined();
    expect(phrasingProblem('IP', 'IP: 47.96.1.10 is taken. Use another.')).toBeUndefined();
  });
});

/** Values a rule whose message names the value is asked about. */
const RULE_SAMPLES = [
  '192.168.1.5/24',
  '10.0.0.0',
  'ab@c',
  '',
  '1.1.1.1/8,2.2.2.2/8',
  '10.3.0.0/16,10.3.0.0/16',
  '10.8.0.0/16,10.8.1.0/24',
];

describe('field errors in English', () => {
  it('every error the validation gives reads "<Label>: <what is wrong>. <what to do>."', () => {
    const errors = fieldErrorsOfBadInput();
    const wrong = errors
      .map((e) => ({ e, problem: phrasingProblem(e.label.en, e.error.en) }))
      .filter((x) => x.problem)
      .map((x) => `${x.e.resource}.${x.e.param}: ${x.problem} — ${x.e.error.en}`);
    expect(wrong).toEqual([]);
    // The battery reaches each kind of error, so the phrasing is held where it matters.
    const all = errors.map((e) => e.error.en).join('\n');
    for (const kind of [
      /: not chosen\. Choose/,
      /: empty\. Enter a value/,
      /is not offered\. Choose one of/,
      /: not a value this form sends/,
      /: neither yes nor no/,
      /: not a whole number/,
      /: contains an invisible or control character/,
      /: cannot be kept safely/,
      /characters? long\. Use/,
      /: starts with http/,
      /: contains "@", which is not allowed/,
      /: not an IPv4 address/,
      /: in a range Alibaba Cloud refuses/,
      /: 45104 is Alibaba Cloud’s own/,
      /: not an AS number/,
      /: has host bits set|is not a CIDR block/,
      /CIDR blocks, more than 10/,
      /"10\.3\.0\.0\/16" is given twice\. Keep it once/,
      /"10\.8\.1\.0\/24" lies inside "10\.8\.0\.0\/16"/,
      /overlaps the local network/,
      /: a line is not key=value/,
      /: the key "a" appears twice/,
      /PREPAY needs one/,
      /makes dual-tunnel VPN gateways/,
      /makes dual-tunnel connections/,
      /not a number of seconds/,
      /not a resource group id/,
    ])
      expect(all).toMatch(kind);
  });

  it('the field errors the bot words itself (a reject reason, a value asked for twice) read the same way', () => {
    const m = messages('en');
    const problems = [
      m.modal.reasonTooShort,
      m.field.required({ choose: true }),
      m.field.required({ choose: false }),
      m.field.notAChoice({ value: 'x', choices: ['10', '100'] }),
      m.field.wrongKind,
      m.field.notBoolean,
      m.field.notText,
      m.field.notInteger,
      m.field.hidden({ character: 'U+202E' }),
      m.field.secretUnavailable,
      m.field.length({ length: 501, range: '3–500' }),
      m.field.alreadyAsked({ value: '47.96.1.10', id: 'gw-20270115-abcdefghij' }),
    ];
    const wrong = problems
      .map((p) => m.field.problem({ label: 'Reason', problem: p }))
      .filter((e) => phrasingProblem('Reason', e));
    expect(wrong).toEqual([]);
  });

  it('every rule message of every declaration is "<what is wrong>. <what to do>."', () => {
    const wrong: string[] = [];
    for (const resource of resources())
      for (const param of resource.params) {
        const messages = [
          ...(param.rules ?? []).flatMap(({ message }) =>
            typeof message === 'function' ? RULE_SAMPLES.map((v) => message(v)) : [message],
          ),
          ...(param.requiredWhen ? [param.requiredWhen.message] : []),
        ];
        for (const m of messages) {
          const problem = problemPhrasing(m.en);
          if (problem) wrong.push(`${resource.type}.${param.name}: ${problem} — ${m.en}`);
        }
      }
    expect(wrong).toEqual([]);
  });
});
