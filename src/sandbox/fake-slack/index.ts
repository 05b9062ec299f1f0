/**
 * A fake Slack: the Web API on loopback with an in-memory workspace, and the signed requests
 * Slack sends to an app. The end-to-end tests and the local playground use the same module.
 */
export {
  type BlockKitProblem,
  checkBlocks,
  checkMessage,
  checkOptionsAnswer,
  checkView,
  describeProblem,
  type SlackRefusal,
} from './block-kit.js';
export {
  type DeliveredEvent,
  FakeSlack,
  type FakeSlackEvents,
  type FakeSlackOptions,
  type InjectedFailure,
  type RecordedCall,
  startFakeSlack,
  type UsergroupEventType,
} from './server.js';
export * from './signing.js';
export {
  type FakeMessage,
  type FakeUser,
  type FakeView,
  Workspace,
  type WorkspaceSeed,
} from './workspace.js';
