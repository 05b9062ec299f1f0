/**
 * Where the playground's example approval policy is (`policy.yml` beside this module, copied next
 * to the compiled one by `npm run build`). It is in force in the playground unless POLICY_FILE
 * names another, so a newcomer sees a two-approval rule at work.
 */
import { fileURLToPath } from 'node:url';

export const PLAYGROUND_POLICY_FILE = fileURLToPath(new URL('./policy.yml', import.meta.url));
