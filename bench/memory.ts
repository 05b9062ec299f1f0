/**
 * The bot's own memory, apart from this harness: the built bot in a process of its own, started
 * as `npm start` starts it (ROLE=all), driven as Slack would drive it: rounds of full requests,
 * each submitted through the modal, approved with a click and created, while the kernel's account
 * of its resident set (VmRSS now, VmHWM at the peak) is read.
 */
import { Redis } from 'ioredis';
import { SlackFlow } from './flow.js';
import { botEnv, memoryOf, REDIS_URL, r1, sleep, startBotProcess, subPrefix } from './support.js';

const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_MEMORY_REQUESTS ?? 150);

export async function benchMemory(o: { apiUrl: string; simUrl: string }) {
  const prefix = subPrefix('mem');
  const bot = await startBotProcess(botEnv({ ...o, prefix }));
  const redis = new Redis(REDIS_URL);
  try {
    await sleep(1_000);
    const idle = memoryOf(bot.pid).rss;
    let peakSampled = idle;
    const sampling = setInterval(() => {
      peakSampled = Math.max(peakSampled, memoryOf(bot.pid).rss);
    }, 50);
    const flow = new SlackFlow(bot.url, redis, prefix, 'C0MEM');
    const afterRound: number[] = [];
    let succeeded = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const requests = await flow.submit(PER_ROUND);
      await flow.approve(requests);
      const done = await flow.finished(
        requests.map((r) => r.id),
        600_000,
      );
      succeeded += done.filter((r) => r.state === 'succeeded').length;
      afterRound.push(memoryOf(bot.pid).rss);
      process.stderr.write(
        `bench: memory round ${round + 1}/${ROUNDS}: RSS ${r1((afterRound.at(-1) ?? 0) / 2 ** 20)} MB, ` +
          `peak so far ${r1(memoryOf(bot.pid).peak / 2 ** 20)} MB\n`,
      );
    }
    clearInterval(sampling);
    const { peak } = memoryOf(bot.pid);
    const mb = (bytes: number) => r1(bytes / 2 ** 20);
    return {
      bot_requests: `${ROUNDS} x ${PER_ROUND}`,
      bot_succeeded: succeeded,
      bot_seconds: r1((Date.now() - started) / 1000),
      bot_idle_rss_mb: mb(idle),
      bot_rss_after_rounds_mb: afterRound.map(mb).join(', '),
      bot_peak_rss_mb: mb(Math.max(peak, peakSampled)),
      bot_peak_target_mb: 200,
    };
  } finally {
    await bot.stop();
    redis.disconnect();
  }
}
