/**
 * Policy files in tests: the problems of one that must be refused.
 */
import { expect } from 'vitest';
import { PolicyError, type PolicyProblem, parsePolicy } from '../../src/policy/index.js';

/** The problems of a file that must be refused; fails the test if it is accepted. */
export function problemsOf(yaml: string): PolicyProblem[] {
  try {
    parsePolicy(yaml, 'policy.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return [...(err as PolicyError).issues];
  }
  throw new Error('expected a PolicyError');
}
