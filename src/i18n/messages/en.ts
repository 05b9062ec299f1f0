/**
 * Every English sentence the bot says that is not a resource type's own words (those live in its
 * declaration): the request message and its thread, command answers, modals, pick-list hints,
 * refusals, field errors and the workflow's own failures. `zh-CN.ts` has the same keys (the type
 * is this object's), so a message missing in one language does not compile. A message with
 * parameters is a function of one object; values arrive ready to show (escaped, inert, in the
 * reader's language), so a message only arranges them. English grammar (articles, a title in the
 * middle of a sentence) is this file's business.
 */
/** A resource type's title inside a sentence: "customer gateway", but "VPN gateway" keeps its capitals. */
function midSentence(title: string): string {
  return /^.[A-Z]/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);
}

/** "a" or "an" before a noun, by its first letter's sound (enough for the titles declared). */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

const list = (items: readonly string[]) => items.join(', ');

/** What a request does, in a line that names it: a creation names its type alone. */
type Doing = 'create' | 'delete' | 'rotate_key' | 'adopt';
/** "Delete IPsec connection", "New keys for IPsec connection", "Adopt IPsec connection", or the title as it is. */
function doingTitle(doing: Doing, title: string): string {
  if (doing === 'delete') return `Delete ${midSentence(title)}`;
  if (doing === 'rotate_key') return `New keys for ${midSentence(title)}`;
  if (doing === 'adopt') return `Adopt ${midSentence(title)}`;
  return title;
}

/** The call a request makes, in a word, for the queue: what it waits to send. */
const QUEUED_CALL: Readonly<Record<Doing, string>> = {
  create: 'create',
  delete: 'delete',
  rotate_key: 'change',
  adopt: 'lookup',
};

function or(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** A short form of a duration: `90s` → `1m30s`, `250ms`, `1h5m`. */
function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const total = Math.round(ms / 1_000);
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}

export const en = {
  /** Lists of names and ids, as a sentence joins them. */
  join: {
    list: (p: { items: readonly string[] }) => list(p.items),
    or: (p: { items: readonly string[] }) => or(p.items),
  },
  duration: (p: { ms: number }) => duration(p.ms),
  /** `*Label:* value`, a labelled line in mrkdwn. */
  labelled: (p: { label: string; value: string }) => `*${p.label}:* ${p.value}`,
  /** `Label: value`, the same in plain words. */
  pair: (p: { label: string; value: string }) => `${p.label}: ${p.value}`,

  /** Where a request stands, on its message and in lists. */
  state: {
    pending_approval: ':hourglass_flowing_sand: Waiting for approval',
    approved: ':white_check_mark: Approved, queued for creation',
    creating: ':gear: Creating',
    provisioning: ':satellite_antenna: Provisioning',
    succeeded: ':large_green_circle: Done',
    rejected: ':no_entry: Rejected',
    cancelled: ':heavy_multiplication_x: Cancelled',
    expired: ':alarm_clock: Expired',
    failed: ':red_circle: Failed',
  },
  /** A deletion's states where they read differently from a creation's. */
  deleteState: {
    approved: ':white_check_mark: Approved, queued for deletion',
    creating: ':wastebasket: Deleting',
    provisioning: ':wastebasket: Being deleted',
    succeeded: ':white_check_mark: Deleted',
  },
  /** A key rotation's states where they read differently from a creation's. */
  rotateState: {
    approved: ':white_check_mark: Approved, queued for new keys',
    creating: ':key: Sending the new keys',
    provisioning: ':key: Alibaba Cloud is applying the new keys',
    succeeded: ':white_check_mark: New keys in place',
  },
  /** An adoption's states where they read differently from a creation's. */
  adoptState: {
    approved: ':white_check_mark: Approved, queued for adoption',
    creating: ':inbox_tray: Taking it over',
    provisioning: ':inbox_tray: Taking it over',
    succeeded: ':white_check_mark: Adopted: watched by the bot',
  },
  /** The state inside a sentence ("Request … is *expired*"). */
  stateWord: {
    pending_approval: 'waiting for approval',
    approved: 'approved',
    creating: 'being created',
    provisioning: 'provisioning',
    succeeded: 'done',
    rejected: 'rejected',
    cancelled: 'cancelled',
    expired: 'expired',
    failed: 'failed',
  },
  /** What the request message says beside the state while a person must act. */
  attention: {
    FinancialLocked: ':warning: waiting for payment (FinancialLocked): pay the order in the console',
  },
  sandbox: ':test_tube: *SANDBOX* — the built-in simulator answers; nothing is created in Alibaba Cloud.',

  /** The request message in the channel. */
  card: {
    asksCreate: (p: { who: string; title: string; region: string; id: string }) => {
      const what = midSentence(p.title);
      return `${p.who} asks for ${article(what)} *${what}* in \`${p.region}\`.\nRequest \`${p.id}\``;
    },
    asksDelete: (p: { who: string; title: string; target: string; region: string; id: string }) =>
      `${p.who} asks to *delete* the ${midSentence(p.title)} \`${p.target}\` in \`${p.region}\`.\nRequest \`${p.id}\``,
    whatWillBeDeleted: '*What will be deleted* (as Alibaba Cloud listed it when asked)',
    asksRotate: (p: { who: string; title: string; target: string; region: string; id: string }) =>
      `${p.who} asks for *new pre-shared keys* on the ${midSentence(p.title)} \`${p.target}\` in \`${p.region}\`.\nRequest \`${p.id}\``,
    whatWillChange:
      '*What will change*: every tunnel below gets a new pre-shared key, made by the bot and never shown in a channel; the tunnels go down until the on-premises device has the new keys (as Alibaba Cloud listed them when asked)',
    asksAdopt: (p: { who: string; title: string; target: string; region: string; id: string }) =>
      `${p.who} asks to *adopt* the ${midSentence(p.title)} \`${p.target}\` in \`${p.region}\`, which the bot does not follow yet, into this channel.\nRequest \`${p.id}\``,
    whatWillBeAdopted:
      '*What will be adopted*: nothing changes in the cloud; from then on the bot watches it and reports here, and this channel alone may delete it (and, for a connection, read and change its keys) through the bot (as Alibaba Cloud listed it when asked)',
    paramsToSend: '*Parameters that will be sent*',
    params: '*Parameters*',
    /** One parameter of the summary: its label, its API name and its value. */
    param: (p: { label: string; name: string; value: string }) => `*${p.label}* (\`${p.name}\`): ${p.value}`,
    id: 'Id',
    status: 'Status',
    approvals: 'Approvals',
    noApprovalsYet: 'none yet',
    approvalCount: (p: { given: number; needed: number; who: string }) => `${p.given}/${p.needed} — ${p.who}`,
    expires: 'Expires',
    resourceId: 'Resource id',
    rejectedBy: 'Rejected by',
    cancelledBy: 'Cancelled by',
    error: 'Error',
    reasonGiven: 'Reason given:',
    approve: 'Approve',
    approveDeletion: 'Approve deletion',
    deleteConfirmTitle: 'Delete for good?',
    deleteConfirmText: (p: { target: string; region: string }) =>
      `${p.target} will be deleted in ${p.region} once the approvals are in. This cannot be undone.`,
    back: 'Back',
    reject: 'Reject',
    cancel: 'Cancel',
    cancelConfirmTitle: 'Cancel this request?',
    cancelConfirmCreate: (p: { id: string }) => `Request ${p.id} will be withdrawn; nothing will be created.`,
    cancelConfirmDelete: (p: { id: string }) => `Request ${p.id} will be withdrawn; nothing will be deleted.`,
    cancelConfirmRotate: (p: { id: string }) =>
      `Request ${p.id} will be withdrawn; the keys stay as they are.`,
    cancelConfirmAdopt: (p: { id: string }) =>
      `Request ${p.id} will be withdrawn; the bot will not watch the resource.`,
    cancelRequest: 'Cancel request',
    keepIt: 'Keep it',
    /** The message's `text`: notifications and screen readers show it. */
    text: (p: { title: string; id: string; who: string; state: string }) =>
      `${p.title} request ${p.id} by ${p.who}: ${p.state}`,
    deleteText: (p: { title: string; target: string; id: string; who: string; state: string }) =>
      `Deletion of ${p.title} ${p.target}, request ${p.id} by ${p.who}: ${p.state}`,
    rotateText: (p: { title: string; target: string; id: string; who: string; state: string }) =>
      `New keys for ${p.title} ${p.target}, request ${p.id} by ${p.who}: ${p.state}`,
    adoptText: (p: { title: string; target: string; id: string; who: string; state: string }) =>
      `Adoption of ${p.title} ${p.target}, request ${p.id} by ${p.who}: ${p.state}`,
  },

  preflight: {
    notRun: '*Preflight:* not run',
    failed: '*Preflight:* some checks did not pass — approving will most likely fail',
    unknown: '*Preflight:* no check failed, but some could not run (they run again before the create call)',
    passed: '*Preflight:* all checks passed',
    /** A check that could not run: the cloud answered an error. */
    notChecked: (p: { action: string; code: string }) =>
      `Not checked: ${p.action ? `${p.action} ` : ''}answered ${p.code}. The approver should check this by hand.`,
    tooSlow: (p: { seconds: string }) =>
      `Not checked: the cloud did not answer within ${p.seconds} s. It is checked again right before the create call.`,
  },

  policy: {
    heading: '*Approval policy*',
    reminder: (p: { given: number; needed: number; expires: string; who: string }) =>
      `:bell: Reminder: this request is still waiting for approval (${p.given} of ${p.needed} so far) and expires ${p.expires}.${p.who ? ` ${p.who}` : ''}`,
  },

  /** The request's thread, one message per event. */
  thread: {
    nothingCreated: 'Nothing was created.',
    nothingDeleted: 'Nothing was deleted.',
    nothingChanged: 'The keys stay as they were.',
    nothingAdopted: 'The bot does not watch the resource; nothing changed in the cloud.',
    approvalAdded: (p: { who: string; given: number; needed: number }) =>
      `:ballot_box_with_check: ${p.who} approved (${p.given} of ${p.needed}).`,
    approvedCreate: (p: { by: readonly string[]; title: string }) =>
      `:white_check_mark: Approved by ${list(p.by)}. The ${midSentence(p.title)} will be created now.`,
    approvedDelete: (p: { by: readonly string[]; title: string; target: string }) =>
      `:white_check_mark: Approved by ${list(p.by)}. The ${midSentence(p.title)} \`${p.target}\` will be deleted now.`,
    approvedRotate: (p: { by: readonly string[]; title: string; target: string }) =>
      `:white_check_mark: Approved by ${list(p.by)}. The ${midSentence(p.title)} \`${p.target}\` gets its new keys now.`,
    approvedAdopt: (p: { by: readonly string[]; title: string; target: string }) =>
      `:white_check_mark: Approved by ${list(p.by)}. The ${midSentence(p.title)} \`${p.target}\` is taken over now.`,
    rejected: (p: { who: string; nothing: string }) =>
      `:no_entry: Rejected by ${p.who}. ${p.nothing} Their reason:`,
    rejectedText: (p: { who: string; reason: string }) => `Rejected by ${p.who}: ${p.reason}`,
    cancelled: (p: { who: string; nothing: string }) =>
      `:heavy_multiplication_x: Cancelled by ${p.who}. ${p.nothing}`,
    expired: (p: { nothing: string }) =>
      `:alarm_clock: Expired: nobody approved this request in time. ${p.nothing} Ask again if it is still needed.`,
    creating: (p: { title: string; id: string }) =>
      `:gear: Creating the ${midSentence(p.title)} (ClientToken \`${p.id}\`)…`,
    deleting: (p: { title: string; target: string; id: string }) =>
      `:wastebasket: Deleting the ${midSentence(p.title)} \`${p.target}\` (ClientToken \`${p.id}\`)…`,
    rotating: (p: { title: string; target: string; id: string }) =>
      `:key: Sending new pre-shared keys for the ${midSentence(p.title)} \`${p.target}\` (ClientToken \`${p.id}\`)…`,
    adopting: (p: { title: string; target: string; id: string }) =>
      `:inbox_tray: Reading the ${midSentence(p.title)} \`${p.target}\` from the account to take it over (request \`${p.id}\`)…`,
    /** A create or delete held back by the bot's own pacing under Alibaba's rate limit. */
    queued: (p: { doing: Doing; ahead: number; region: string; wait: string; when: string }) => {
      const calls = `${QUEUED_CALL[p.doing]}${p.ahead === 1 ? '' : 's'}`;
      return `:hourglass_flowing_sand: Queued behind ${p.ahead} ${calls} in ${p.region}, to stay within Alibaba Cloud's rate limit: this one goes out in about ${p.wait} (${p.when}). Time in the queue does not count toward the time limit.`;
    },
    provisioning: (p: { title: string; target: string }) =>
      `:satellite_antenna: The ${midSentence(p.title)} \`${p.target}\` was created and is provisioning; this usually takes a few minutes. I will post here when it is ready.`,
    /** Made at once and only confirmed by the next look (an IPsec connection). */
    confirming: (p: { title: string; target: string }) =>
      `:satellite_antenna: The ${midSentence(p.title)} \`${p.target}\` was created; I am reading its state and will post it here in a few seconds.`,
    deletionAccepted: (p: { target: string }) =>
      `:hourglass: Alibaba Cloud accepted the deletion of \`${p.target}\` and is removing it; I will post here when it is gone.`,
    rotationAccepted: (p: { target: string }) =>
      `:hourglass: Alibaba Cloud accepted the new keys of \`${p.target}\` and is applying them; I will post here when it is done.`,
    stillRotating: (p: { target: string; elapsed: string; status: string }) =>
      `:hourglass: Still applying the new keys of \`${p.target}\`, ${p.elapsed} so far (status: ${p.status}).`,
    stillProvisioning: (p: { target: string; elapsed: string; status: string }) =>
      `:hourglass: Still provisioning \`${p.target}\`, ${p.elapsed} so far (status: ${p.status}).`,
    stillDeleting: (p: { target: string; elapsed: string; status: string }) =>
      `:hourglass: Still deleting \`${p.target}\`, ${p.elapsed} so far (status: ${p.status}).`,
    /** The resource differs from what was approved: one line per difference. */
    drifted: (p: { title: string; target: string; lines: string[] }) =>
      `:warning: The ${midSentence(p.title)} \`${p.target}\` no longer matches what was approved (changed outside the bot?):\n${p.lines.join('\n')}`,
    driftLine: (p: { label: string; approved: string; now: string }) =>
      `• ${p.label}: approved \`${p.approved}\`, now \`${p.now}\``,
    /** How long a part was down, when it was down already as the resource was adopted. */
    atLeast: (p: { duration: string }) => `at least ${p.duration}`,
    /** An adopted resource: what it was compared with is how it was taken over. */
    driftedAdopted: (p: { title: string; target: string; lines: string[] }) =>
      `:warning: The ${midSentence(p.title)} \`${p.target}\` no longer matches how it was when adopted (changed outside the bot?):\n${p.lines.join('\n')}`,
    driftLineAdopted: (p: { label: string; approved: string; now: string }) =>
      `• ${p.label}: when adopted \`${p.approved}\`, now \`${p.now}\``,
    /** The resource is gone from the account, not through the bot. */
    goneOutside: (p: { title: string; target: string }) =>
      `:warning: The ${midSentence(p.title)} \`${p.target}\` is no longer in the account, and no deletion through the bot asked for it: someone deleted it outside the bot.`,
    /** A difference's label when the resource is no longer in the account. */
    inAccount: 'In the account',
    /** `/gateway status`: the resource is no longer in the account. */
    goneLine: '• No longer in the account (deleted outside the bot)',
    /** `/gateway status`: before what differs from what was approved. */
    driftNow: '*Differs from what was approved*',
    driftNowAdopted: '*Differs from how it was when adopted*',
    financialLocked: (p: { title: string; target: string }) =>
      `:warning: The ${midSentence(p.title)} \`${p.target}\` is *FinancialLocked*: its order is unpaid or the account is overdue, so it will not become ready. Pay the order in the Alibaba Cloud console (Billing → Orders); I keep watching until the time limit.`,
  },

  /** The end of a request, posted in its thread and the channel. */
  result: {
    ready: (p: { title: string; target: string; status: string; id: string }) =>
      `${p.title} ${p.target} is ${p.status} (request ${p.id}).`,
    deleted: (p: { title: string; target: string; id: string }) =>
      `${p.title} ${p.target} is deleted (request ${p.id}).`,
    alreadyGone:
      '_It was already gone when the delete call was made: deleted by someone else, or by an earlier try of this request._',
    failed: (p: { title: string; id: string; code: string }) =>
      `${p.title} request ${p.id} failed: ${p.code}`,
    deletionFailed: (p: { title: string; target: string; id: string; code: string }) =>
      `Deletion of ${p.title} ${p.target} (request ${p.id}) failed: ${p.code}`,
    keyRotated: (p: { title: string; target: string; id: string }) =>
      `${p.title} ${p.target} has new pre-shared keys (request ${p.id}).`,
    rotationFailed: (p: { title: string; target: string; id: string; code: string }) =>
      `New keys for ${p.title} ${p.target} (request ${p.id}) failed: ${p.code}`,
    adopted: (p: { title: string; target: string; id: string }) =>
      `${p.title} ${p.target} is adopted: the bot watches it from now on and reports here (request ${p.id}).`,
    adoptionFailed: (p: { title: string; target: string; id: string; code: string }) =>
      `Adoption of ${p.title} ${p.target} (request ${p.id}) failed: ${p.code}`,
    /** A part an adopted resource's health follows (a tunnel), as last seen. */
    partState: (p: { up: boolean }): string => (p.up ? 'up' : 'down'),
    failedUnknown: 'The request failed.',
    unknownCode: 'unknown',
    region: 'Region',
    timeTaken: 'Time taken',
    whatToDo: 'What to do',
    code: 'Code',
    request: 'Request',
    /** Before a resource's facts in `/gateway status`: they are from the last look, not read now. */
    lastSeen: '*As last seen*',
    /** A direct message to the requester when the request could not be posted in its channel. */
    undeliverable: (p: { title: string; id: string; channel: string; error: string }) =>
      `I could not post your ${midSentence(p.title)} request \`${p.id}\` in ${p.channel}: Slack answered \`${p.error}\`. Nothing was created and the request is withdrawn. Invite me to that channel (\`/invite @gateway-bot\`) or use a channel I am in, then run \`/gateway\` again.`,
  },

  /** Answers to `/gateway …`, seen only by the person who typed it. */
  command: {
    unknown: (p: { typed: string }) => `I do not know ${p.typed}. Here is what I can do:`,
    intro: '*Request Alibaba Cloud network resources, approved by a team lead.*',
    statusArgs: '&lt;request-id | resource-id&gt;',
    statusHelp: 'where a request stands',
    deleteArgs: '&lt;resource-id&gt;',
    deleteHelp: 'delete a gateway or a connection, after approval',
    rotateKeyArgs: '&lt;connection-id&gt;',
    rotateKeyHelp: 'new pre-shared keys for a connection, after approval',
    adoptArgs: '&lt;resource-id&gt;',
    adoptHelp:
      'take a VPN gateway, customer gateway or connection the bot does not follow into this channel, after approval',
    listHelp: 'recent requests in this channel',
    helpHelp: 'this help',
    outro:
      'After you submit the form, the request appears in this channel; an approver approves it in its thread, and the result is posted there.',
    notFound: (p: { typed: string; prefixes: readonly string[]; command: string }) =>
      `I know no request or resource ${p.typed} in this channel. Request ids look like \`gw-20261122-k3j9x2m4qp\`; resource ids like ${or(p.prefixes)}. \`${p.command} list\` shows recent requests in this channel.`,
    missingId: (p: { command: string }) =>
      `Tell me which request: \`${p.command} status &lt;request-id | resource-id&gt;\`.`,
    missingDeleteId: (p: { command: string; prefixes: readonly string[] }) =>
      `Tell me what to delete: \`${p.command} delete &lt;resource-id&gt;\`, with an id such as ${list(p.prefixes)}.`,
    missingRotateKeyId: (p: { command: string; prefixes: readonly string[] }) =>
      `Tell me which connection: \`${p.command} rotate-key &lt;connection-id&gt;\`, with an id such as ${list(p.prefixes)}.`,
    missingAdoptId: (p: { command: string; prefixes: readonly string[] }) =>
      `Tell me what to adopt: \`${p.command} adopt &lt;resource-id&gt;\`, with an id such as ${list(p.prefixes)}.`,
    listEmpty: 'No requests in this channel yet.',
    listHeading: '*Recent requests in this channel*',
    listLine: (p: {
      id: string;
      doing: Doing;
      title: string;
      region: string;
      state: string;
      made: string;
      who: string;
      when: string;
    }) =>
      `• \`${p.id}\` ${p.doing === 'create' ? p.title : doingTitle(p.doing, p.title).replace(/^./, (c) => c.toLowerCase())} \`${p.region}\` — ${p.state}${p.made ? ` → \`${p.made}\`` : ''} — ${p.who}, ${p.when}`,
    listMore: (p: { more: number; command: string }) =>
      `_${p.more} older request${p.more === 1 ? '' : 's'} not shown: \`${p.command} status &lt;request-id&gt;\` shows any of them, and \`npm run audit -- --since 30d\` lists them all for an operator._`,
    lookingFor: (p: { typed: string }) => `Looking for ${p.typed} in the account…`,
    deletionPosted: (p: { id: string }) =>
      `The deletion request \`${p.id}\` is posted in this channel; it is carried out once approved there.`,
    rotationPosted: (p: { id: string }) =>
      `The key rotation request \`${p.id}\` is posted in this channel; it is carried out once approved there.`,
    adoptionPosted: (p: { id: string }) =>
      `The adoption request \`${p.id}\` is posted in this channel; it is carried out once approved there.`,
    nothingToConnect:
      'There is nothing to connect from this message: use the button on a finished gateway request in its channel.',
    /** The head of the private answer that shows a pre-shared key. */
    presharedKey: (p: { target: string }) =>
      `Pre-shared key of ${p.target} (only you see this; put it on your device and do not share it):`,
    /** The head of the private answer that shows the on-premises device's configuration. */
    peerConfig: (p: { target: string; format: string }) =>
      `Configuration of your on-premises device for ${p.target} · ${p.format}. Only you see this; it holds the pre-shared keys: put it on your device and do not share it.`,
    /** The placeholder of the select that writes it in another format. */
    peerConfigFormat: 'Another format…',
    /** Said in the channel, privately, when the configuration went to a direct message. */
    peerConfigSentDirectly: (p: { target: string }) =>
      `The configuration of ${p.target} is too long for a private note here: I sent it to you in a direct message.`,
  },

  modal: {
    choose: 'Choose',
    afterSubmit: (p: { action: string }) =>
      `After you submit, the request is posted in the channel; \`${p.action}\` is called only after an approver approves it in the thread.`,
    submit: 'Ask for approval',
    close: 'Cancel',
    stale: 'This form is out of date. Run the command again.',
    retypeSecret: 'Type it again: a secret is never sent back into the form.',
    rejectTitle: 'Reject request',
    rejectSubmit: 'Reject',
    rejectClose: 'Back',
    rejectLabel: (p: { id: string }) => `Why reject ${p.id}?`,
    rejectHint: 'The reason is posted in the request’s thread.',
    reason: 'Reason',
    rejectStale: 'This form is out of date. Click Reject again.',
    reasonTooShort: 'fewer than 3 characters. Say why, so the requester can fix the request and ask again.',
  },

  /** Hints in the modal's live pick-lists (their values are refused if submitted). */
  options: {
    chooseRegionFirst: 'Choose a region first',
    chooseVpcFirst: 'Choose a VPC first',
    chooseAccountFirst: 'Choose the Alibaba Cloud account first',
    noneInRegion: (p: { title: string; region: string }) =>
      `No ${midSentence(p.title)} to choose in ${p.region}`,
    noneFits: 'Nothing here fits the choices made so far: change them, or look in the console',
    unavailable: (p: { code: string }) => `Could not load the list (${p.code}); try again in a moment`,
    tooSlow: 'The cloud is slow to answer; try again in a moment',
    defaultVpc: 'default',
  },

  /**
   * Field errors, one phrasing for all: "<Label>: <what is wrong>. <what to do>." `problem` is
   * the part after the label, which declarations' rules and these give.
   */
  field: {
    problem: (p: { label: string; problem: string }) => `${p.label}: ${p.problem}`,
    required: (p: { choose: boolean }): string =>
      p.choose ? 'not chosen. Choose one.' : 'empty. Enter a value.',
    notAChoice: (p: { value: string; choices: readonly string[] }) =>
      `"${p.value}" is not offered. Choose one of: ${list(p.choices)}.`,
    wrongKind: 'not a value this form sends. Fill it in again.',
    notBoolean: 'neither yes nor no. Choose again.',
    notText: 'not text. Enter it as text.',
    notInteger: 'not a whole number. Enter digits only.',
    hidden: (p: { character: string }) =>
      `contains an invisible or control character (${p.character}). Type it again without it.`,
    secretUnavailable:
      'cannot be kept safely, as the bot has no REQUEST_SECRETS_KEY. Leave it empty, or ask the operator to set the key.',
    length: (p: { length: number; range: string }) =>
      `${p.length} character${p.length === 1 ? '' : 's'} long. Use ${p.range} characters.`,
    alreadyAsked: (p: { value: string; id: string }) =>
      `${p.value} is already asked for in request ${p.id}, which is still open. Wait for it to finish, or have it cancelled, then ask again.`,
  },

  /** The approver's summary of the parameters. */
  summary: {
    secretSet: 'set (not shown)',
    defaults: 'Left at their defaults',
    yes: 'Yes',
    no: 'No',
  },

  /** Why a click or a command changed nothing, said privately to the person. */
  refusal: {
    notInChannel: (p: { channel: string }) =>
      `This request is in <#${p.channel}>, which you are not in: join it to decide there.`,
    alreadyDecided: (p: { id: string; state: string }) =>
      `Request ${p.id} is ${p.state}; it can no longer be approved, rejected or cancelled.`,
    notApprover:
      'Only the team leads configured as approvers can approve requests. Ask one of them in this thread.',
    policyDenied: (p: { rule: string; message: string }) =>
      `The approval policy now refuses this request (rule ${p.rule}): ${p.message} It can no longer be approved; reject it, or the requester can cancel it.`,
    selfApproval: 'You asked for this, so you cannot approve it yourself. Another approver has to.',
    alreadyApprovedByYou: (p: { left: number }) =>
      `You have already approved this request; it needs ${p.left} more approval${p.left === 1 ? '' : 's'} from other approvers.`,
    rejectNotApprover: 'Only approvers can reject a request. If you asked for it, use Cancel instead.',
    notRequester:
      'Only the person who asked for this can cancel the request. Approvers can reject it instead.',
    nothingToDo: 'Nothing to do: the request has already moved on.',
    notFound: (p: { id: string }) =>
      `There is no request ${p.id}. It may have been made with another bot installation.`,
    expired: (p: { id: string }) =>
      `Request ${p.id} waited too long for approval and has expired. Ask for it again if it is still needed.`,
    wrongMessage: (p: { id: string }) =>
      `That button does not belong to request ${p.id}'s message. Use the buttons on the request itself, in its channel.`,
    wrongResult: (p: { id: string }) =>
      `That button does not belong to request ${p.id}. Use the one on its result, in its channel.`,
    keyNotAllowed:
      'Only the person who asked for this connection and the approvers can see its pre-shared key. Ask one of them.',
    nothingToShow: (p: { id: string }) =>
      `Request ${p.id} has nothing to show: it made no resource that keeps a key.`,
    keyUnreadable: (p: { target: string; code: string }) =>
      `I could not read the key of ${p.target}: the cloud answered ${p.code}. Try again in a moment.`,
    peerNotAllowed:
      'Only the person who asked for this connection and the approvers can see its device configuration. Ask one of them.',
    noPeerConfig: (p: { id: string }) =>
      `Request ${p.id} has no device configuration to show: it made no connection that has one.`,
    peerUnreadable: (p: { target: string; code: string }) =>
      `I could not read the configuration of ${p.target}: the cloud answered ${p.code}. Try again in a moment.`,
    noSuchFormat: 'That is not a format I can write. Choose one from the list.',
  },

  /** Why `/gateway delete <id>` asked for nothing. */
  /** Accounts: which one a channel's request is made in. */
  accounts: {
    label: 'Alibaba Cloud account',
    help: 'The account the resource is made in. The lists below follow it.',
    noneForChannel:
      'This channel may use none of the bot’s Alibaba Cloud accounts. Ask whoever runs the bot to add it to an account (ACCOUNTS_FILE); nothing was asked for.',
    choose: 'Alibaba Cloud account: not chosen. Choose the account to make it in.',
    notForChannel: (p: { choices: readonly string[] }) =>
      `Alibaba Cloud account: not one this channel may use. Choose ${or(p.choices)}.`,
    signInFailed: (p: { account: string; what: string; todo: string }) =>
      `Alibaba Cloud account: \`${p.account}\` cannot be reached now. ${p.what} ${p.todo} Nothing was asked for.`,
    regionNotOffered: (p: { region: string; account: string; regions: readonly string[] }) =>
      `Region: ${p.region} is not a region of account \`${p.account}\` (it offers ${list(p.regions)}). Choose one from the list.`,
  },

  deletion: {
    notAnId: (p: { kinds: readonly { title: string; prefix: string }[] }) =>
      `That is not an id I can delete. I delete ${list(p.kinds.map((k) => `${k.title} (\`${k.prefix}…\`)`))}; \`/gateway status &lt;request-id&gt;\` shows the id a request made.`,
    lookupFailed: (p: { target: string; code: string }) =>
      `I could not look for ${p.target}: the cloud answered ${p.code}. Nothing was asked for; try again in a moment.`,
    notInAccount: (p: { target: string }) =>
      `I find no ${p.target} that this channel may delete: it is in no region of this Alibaba Cloud account, or it was not made or adopted by the bot from this channel, which alone may delete it (adopt one made outside the bot first: \`/gateway adopt ${p.target}\`). Check the id (\`/gateway status ${p.target}\` shows what the bot made); nothing was asked for.`,
    blocked: (p: { target: string; reasons: readonly string[] }) =>
      `${p.target} cannot be deleted now:\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p: { target: string; id: string }) =>
      `The deletion of ${p.target} is already asked for in request ${p.id}, which is still open: its requester can cancel it, or an approver reject it, in its thread (\`/gateway status ${p.id}\`).`,
    notBeingMade: (p: { target: string }) => `No request of the bot is creating ${p.target}.`,
    stillBeingMade: (p: { target: string; id: string }) =>
      `${p.target} is still being created by request ${p.id}: ask again once that request has finished (\`/gateway status ${p.id}\`).`,
  },

  rotation: {
    notAnId: (p: { kinds: readonly { title: string; prefix: string }[] }) =>
      `That is not an id I can give new keys. I rotate the keys of ${list(p.kinds.map((k) => `${k.title} (\`${k.prefix}…\`)`))}; \`/gateway status &lt;request-id&gt;\` shows the id a request made.`,
    lookupFailed: (p: { target: string; code: string }) =>
      `I could not look for ${p.target}: the cloud answered ${p.code}. Nothing was asked for; try again in a moment.`,
    notInAccount: (p: { target: string }) =>
      `I find no ${p.target} whose keys this channel may change: it is in no region of this Alibaba Cloud account, or it was not made or adopted by the bot from this channel, which alone may change its keys. Check the id (\`/gateway status ${p.target}\` shows what the bot made); nothing was asked for.`,
    blocked: (p: { target: string; reasons: readonly string[] }) =>
      `The keys of ${p.target} cannot be changed now:\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p: { target: string; id: string }) =>
      `Request ${p.id} on ${p.target} is still open: one change at a time. Its requester can cancel it, or an approver reject it, in its thread (\`/gateway status ${p.id}\`); ask again once it has finished.`,
    noSecretsKey:
      'New keys cannot be made here: REQUEST_SECRETS_KEY is not set, and the keys are derived from it. Ask an operator to set it; nothing was asked for.',
  },

  adoption: {
    notAnId: (p: { kinds: readonly { title: string; prefix: string }[] }) =>
      `That is not an id I can adopt. I adopt ${list(p.kinds.map((k) => `${k.title} (\`${k.prefix}…\`)`))} made outside the bot.`,
    lookupFailed: (p: { target: string; code: string }) =>
      `I could not look for ${p.target}: the cloud answered ${p.code}. Nothing was asked for; try again in a moment.`,
    notInAccount: (p: { target: string }) =>
      `I find no ${p.target} that this channel may adopt: it is in no region of this channel's Alibaba Cloud accounts, or it already belongs to another channel. Check the id; nothing was asked for.`,
    blocked: (p: { target: string; reasons: readonly string[] }) =>
      `${p.target} cannot be adopted now:\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p: { target: string; id: string }) =>
      `Request ${p.id} on ${p.target} is still open: one operation at a time. Its requester can cancel it, or an approver reject it, in its thread (\`/gateway status ${p.id}\`).`,
    /** A deletion or key rotation asked for while the channel's own adoption of it is open. */
    pendingHere: (p: { target: string; id: string }) =>
      `${p.target} is not this channel's yet: its adoption, request ${p.id}, is still open. Ask again once it has been approved and is done (\`/gateway status ${p.id}\`); nothing was asked for.`,
    alreadyHere: (p: { target: string; id: string }) =>
      `${p.target} already belongs to this channel (request ${p.id}): the bot watches it, and \`/gateway status ${p.target}\` shows it. Nothing was asked for.`,
  },

  /** The Home tab: what waits for the person, what they asked for, what is down in their channels. */
  home: {
    waitingHeading: 'Waiting for your approval',
    nothingWaiting: 'Nothing waits for your approval.',
    /** One request waiting: what, where, asked by whom and how long ago. */
    waiting: (p: {
      doing: Doing;
      title: string;
      target: string;
      region: string;
      params: string;
      who: string;
      channel: string;
      age: string;
      id: string;
    }) =>
      `*${doingTitle(p.doing, p.title)}*${p.target ? ` \`${p.target}\`` : ''} in \`${p.region}\` — asked by ${p.who} in ${p.channel}, ${p.age} ago
${
  p.params
    ? `${p.params}
`
    : ''
}Request \`${p.id}\``,
    yoursHeading: 'Your requests',
    noRequests: 'You have asked for nothing yet: type `/gateway help` in a channel to start.',
    /** One of the person's requests: where it stands, what it made, and its thread. */
    yours: (p: {
      id: string;
      doing: Doing;
      title: string;
      region: string;
      state: string;
      made: string;
      when: string;
      thread: string;
    }) =>
      `${p.doing === 'create' ? `*${p.title}*` : doingTitle(p.doing, p.title)} \`${p.region}\` — ${p.state}${p.made ? ` → \`${p.made}\`` : ''}
\`${p.id}\`, ${p.when}${p.thread ? ` · ${p.thread}` : ''}`,
    thread: 'thread',
    downHeading: 'Tunnels down now',
    nothingDown: 'No tunnel of a connection in your channels was down when the bot last looked.',
    channelsUnreadable: (p: { error: string }) =>
      `Slack did not say which channels you are in (\`${p.error}\`), so what is in them is not shown here: the app may need reinstalling with the scopes of its manifest.`,
    /** A resource with parts down, as the bot last recorded it. */
    down: (p: { title: string; target: string; channel: string; seen: string; parts: string }) =>
      `*${p.title}* \`${p.target}\` in ${p.channel}, as last seen ${p.seen}:
${p.parts}`,
    moreWaiting: (p: { more: number }) =>
      `${p.more} more request${p.more === 1 ? '' : 's'} waiting for you, not shown here: approve ${p.more === 1 ? 'it' : 'them'} in ${p.more === 1 ? 'its thread' : 'their threads'}.`,
    moreYours: (p: { more: number; command: string }) =>
      `${p.more} older request${p.more === 1 ? '' : 's'} not shown: \`${p.command} status &lt;request-id&gt;\` shows any of them.`,
    moreDown: (p: { more: number }) =>
      `${p.more} more connection${p.more === 1 ? '' : 's'} with a tunnel down, not shown here.`,
    /** What a click in Home did, at the top of the refreshed page. */
    approved: (p: { id: string }) => `:white_check_mark: Your approval of \`${p.id}\` is recorded.`,
    rejected: (p: { id: string }) => `:no_entry: You rejected \`${p.id}\`.`,
    cancelled: (p: { id: string }) => `:wastebasket: You cancelled \`${p.id}\`.`,
  },

  /** Failures the workflow itself decides: what happened, and what to do. */
  failure: {
    provisionTimeout: (p: { title: string; target: string; waited: string }) =>
      `${p.title} ${p.target} was created but did not become ready within ${p.waited}.`,
    deleteTimeout: (p: { title: string; target: string; status: string; waited: string }) =>
      `Alibaba Cloud accepted the deletion of ${midSentence(p.title)} ${p.target}, but still listed it (${p.status}) after ${p.waited}.`,
    deleteTimeoutTodo: (p: { target: string; region: string; id: string }) =>
      `It may still go. Check it with \`/gateway status ${p.target}\` or in the console (region ${p.region}); ask again only if it is back to a normal status, and quote request ${p.id} in any ticket.`,
    createDeadlinePassed: (p: { id: string }) =>
      `The cloud could not be reached before the time limit ran out (request ${p.id}).`,
    createDeadlinePassedTodo: (p: { id: string }) =>
      `If the call went through despite the errors, it carried the ClientToken ${p.id}; check the VPC console before asking again.`,
    paramsChanged: (p: { id: string }) =>
      `The parameters of request ${p.id} no longer match what was approved, so nothing was created.`,
    paramsChangedTodo: 'Submit the request again and have it approved.',
    preflightFailed: (p: { id: string }) =>
      `The checks made right before the cloud call failed, so nothing was done (request ${p.id}): the cloud changed since the request was approved.`,
    preflightFailedTodo: 'Read what failed below, fix it (or choose other values) and ask again.',
    secretUnavailable: (p: { id: string }) =>
      `A secret parameter of request ${p.id} cannot be read: REQUEST_SECRETS_KEY is missing or differs from the one it was sealed with. Nothing was created.`,
    secretUnavailableTodo:
      'Ask the operator to set the same REQUEST_SECRETS_KEY on every bot and worker, then submit the request again.',
    resourceGone: (p: { id: string }) =>
      `The resource was no longer in the account when the approved adoption looked for it, so nothing was taken over (request ${p.id}).`,
    resourceGoneTodo: 'Check the id in the console; ask again only for a resource that is there.',
  },
};

/** The shape every language's catalogue has: the English one's. */
export type Messages = typeof en;
