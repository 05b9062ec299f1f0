/**
 * The policy a process applies now. It is read once at start; `reload` reads the file again (the
 * bot does on SIGHUP), and a file that no longer checks leaves the policy in force untouched, so
 * a typo in an edit can never leave requests with no policy at all. Requests keep no copy of the
 * rules: each click is judged by the policy in force at that moment.
 */
import { loadPolicyFile } from './load.js';
import type { Policy } from './types.js';

export class PolicyInForce {
  private policy: Policy | undefined;

  /** `file`: where a reload reads from (POLICY_FILE); without it a reload keeps what there is. */
  constructor(
    policy: Policy | undefined,
    readonly file?: string,
  ) {
    this.policy = policy;
  }

  get current(): Policy | undefined {
    return this.policy;
  }

  /** Puts another policy in force at once (the tests' way to change it between two clicks). */
  set(policy: Policy | undefined): void {
    this.policy = policy;
  }

  /**
   * Reads the file again and puts it in force. Throws a PolicyError listing every problem when the
   * file does not check; the policy in force then stays as it was.
   */
  async reload(): Promise<Policy | undefined> {
    if (this.file === undefined) return this.policy;
    this.policy = await loadPolicyFile(this.file);
    return this.policy;
  }
}
