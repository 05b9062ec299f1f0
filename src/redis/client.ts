/** The connection every part of the bot is given: either ioredis client (one node or Sentinel, or a Cluster). */
import type { Cluster, Redis } from 'ioredis';

/** What the request store and BullMQ need of a connection; both ioredis clients provide it. */
export type RedisClient = Redis | Cluster;
