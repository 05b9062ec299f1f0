/**
 * Requests driven through a bot process as Slack drives them: a customer gateway form submitted
 * (signed view submissions), the request message awaited, then an Approve click from the lead.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_ACCOUNT } from '../src/config/index.js';
import { resourceOf } from '../src/resources/index.js';
import {
  blockActionPayload,
  interactionBody,
  postToApp,
  viewSubmissionPayload,
} from '../src/sandbox/fake-slack/index.js';
import { metadataSigner } from '../src/slack/metadata.js';
import { buildResourceModal } from '../src/slack/modals.js';
import { RequestStore } from '../src/workflow/store.js';
import type { ResourceRequest } from '../src/workflow/types.js';
import { SECRET, sleep, TOKEN } from './support.js';

const REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'ap-southeast-1'];

/** Runs `work` for 0…n-1, `lanes` at a time (ten: as ten people clicking at once would). */
export const atATime = (n: number, work: (i: number) => Promise<void>, lanes = 10) =>
  Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < n; i += lanes) await work(i);
    }),
  );

/** Customer gateway IP addresses are numbered across the whole run: each can be used once. */
let numbered = 0;

export class SlackFlow {
  readonly store: RequestStore;
  private readonly modal: ReturnType<typeof buildResourceModal>;

  constructor(
    private readonly url: string,
    redis: Redis,
    prefix: string,
    private readonly channel: string,
  ) {
    this.store = new RequestStore({ redis, prefix });
    this.modal = buildResourceModal(resourceOf('customer_gateway'), {
      channelId: channel,
      locale: 'en',
      sandbox: false,
      accounts: [DEFAULT_ACCOUNT],
      resources: {},
      signer: metadataSigner(TOKEN),
    });
  }

  /**
   * Submits n customer gateways and returns them once each has its request message, or, with
   * `announced: false` (no worker running to post it), once each is stored and pending.
   */
  async submit(n: number, { announced = true }: { announced?: boolean } = {}): Promise<ResourceRequest[]> {
    const first = numbered;
    numbered += n;
    await atATime(n, async (i) => {
      const k = first + i;
      const answer = await postToApp(
        this.url,
        SECRET,
        interactionBody(
          viewSubmissionPayload({
            user: 'U0ASKER',
            view: this.modal as never,
            viewId: `VB${k}`,
            values: {
              RegionId: { option: REGIONS[k % REGIONS.length] as string },
              IpAddress: `47.${130 + Math.floor(k / 62_500)}.${Math.floor(k / 250) % 250}.${(k % 250) + 1}`,
            },
          }),
        ),
      );
      if (answer.status !== 200 || answer.text !== '') throw new Error(`submission refused: ${answer.text}`);
    });
    for (;;) {
      const recent = await this.store.recentInChannel(this.channel, n);
      const mine = recent.filter((r) => r.state === 'pending_approval');
      if (mine.length >= n && (!announced || mine.every((r) => r.messageTs))) return mine;
      await sleep(200);
    }
  }

  /** The lead clicks Approve on each, `lanes` clicks at a time. */
  async approve(requests: ResourceRequest[], lanes = 10): Promise<void> {
    await atATime(
      requests.length,
      async (i) => {
        const r = requests[i] as ResourceRequest;
        const answer = await postToApp(
          this.url,
          SECRET,
          interactionBody(
            blockActionPayload({
              user: 'U0LEAD1',
              channel: this.channel,
              messageTs: r.messageTs as string,
              actionId: 'approve_request',
              value: r.id,
              triggerId: 't',
            }),
          ),
        );
        if (answer.status !== 200) throw new Error(`approval answered ${answer.status}`);
      },
      lanes,
    );
  }

  /** Waits until every request is final and returns the records. */
  async finished(ids: string[], timeoutMs: number): Promise<ResourceRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(ids.map((id) => this.store.get(id)));
      if (states.every((r) => r?.state === 'succeeded' || r?.state === 'failed'))
        return states as ResourceRequest[];
      if (Date.now() > deadline) throw new Error(`requests not finished after ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
}
