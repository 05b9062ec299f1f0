/**
 * Bolt's receiver for HTTP mode, behind the gate (gate.ts). The gate has read the
 * body, checked its signature and timestamp and parsed it to check its shape; this receiver hands
 * that parsed body to Bolt as Bolt's own HTTPReceiver would, without reading, verifying or
 * parsing it a second time (a 20 kB modal body parsed twice cost more than Bolt's own handling).
 * What it does after that is HTTPReceiver's: Slack's `ssl_check` and `url_verification`, an ack
 * object that answers the HTTP request, and Bolt's error handling.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Logger,
  type Receiver,
} from '@slack/bolt';

/** Unanswered this long, Bolt answers the request itself and logs that no listener acked. */
const UNHANDLED_TIMEOUT_MS = 3_001;

export class GatedReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly logger: Logger) {}

  init(app: App): void {
    this.app = app;
  }

  // The HTTP server is the runtime's; there is nothing to start or stop here.
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * A request the gate let through, with the body it parsed and when it arrived (handed to the
   * listeners as `context.receivedAt`).
   */
  handle(
    req: BufferedIncomingMessage,
    res: ServerResponse,
    body: Record<string, unknown>,
    receivedAt: number,
  ): void {
    const app = this.app;
    if (!app) {
      HTTPModuleFunctions.buildNoBodyResponse(res, 503);
      return;
    }
    if (body.ssl_check === '1') {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger: this.logger,
      processBeforeResponse: false,
      unhandledRequestHandler: HTTPModuleFunctions.defaultUnhandledRequestHandler,
      unhandledRequestTimeoutMillis: UNHANDLED_TIMEOUT_MS,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
    const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
    app
      .processEvent({
        body,
        ack: ack.bind(),
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
        customProperties: { receivedAt },
      })
      .catch(async (error: unknown) => {
        const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
          error: error as Error,
          logger: this.logger,
          request: req as IncomingMessage,
          response: res,
          storedResponse: ack.storedResponse,
        });
        if (acknowledged) ack.ack();
      });
  }
}
