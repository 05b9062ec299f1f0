/**
 * Slack's Socket Mode side for tests: a WebSocket server that says hello to the app's client
 * (which found it through the fake `apps.connections.open`), sends envelopes, and returns the
 * app's acknowledgement of each.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export async function startSocketModeServer() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let client: WebSocket | undefined;
  const acks = new Map<string, (ack: SocketAck) => void>();
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  server.on('connection', (socket) => {
    client = socket;
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      acks.get(ack.envelope_id)?.(ack);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake' },
        connection_info: { app_id: 'A0GATEWAY' },
      }),
    );
    connected();
  });
  return {
    url: `ws://127.0.0.1:${port}/link`,
    ready,
    /** Delivers one envelope and resolves with the app's acknowledgement. */
    send(
      type: 'slash_commands' | 'interactive' | 'events_api',
      payload: unknown,
      timeoutMs = 5_000,
    ): Promise<SocketAck> {
      if (!client) throw new Error('no Socket Mode client connected');
      const envelope_id = randomUUID();
      const answered = new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${type}`)), timeoutMs);
        acks.set(envelope_id, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
      client.send(
        JSON.stringify({
          envelope_id,
          type,
          payload,
          accepts_response_payload: true,
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
      return answered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}
