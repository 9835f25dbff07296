/**
 * The unsigned SNS links trailwatch's messages carry, and the signing certificate:
 * - `GET /?Action=ConfirmSubscription&TopicArn=…&Token=…` — the SubscribeURL of a confirmation POST and the
 *   link in a confirmation mail (the token is the credential, as with SNS);
 * - `GET /?Action=Unsubscribe&SubscriptionArn=…&Token=…` — the unsubscribe link of every notification (the
 *   token is the subscription's own secret; without it, only the signed API call can unsubscribe);
 * - `GET /SimpleNotificationService-<id>.pem` — the certificate that verifies the messages' signatures.
 * Programs (an SNS HTTP subscriber fetching SubscribeURL) get SNS's XML; a browser (Accept: text/html) gets a
 * short page saying what happened.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { esc } from "../notify/message/email.js";
import { signingCertPath } from "../notify/signing/index.js";
import { SnsError } from "../notify/topics.js";
import type { ServerContext } from "./context.js";

const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

type Query = Record<string, string | string[] | undefined>;

export function registerSnsLinks(
  app: FastifyInstance,
  ctx: ServerContext,
  options: {
    certificatePem: string;
    certificateId: string;
    /** `GET /` without an Action. */
    fallback?: (req: FastifyRequest, reply: FastifyReply) => unknown;
    /** `GET /?Action=…` for any other action: a query-protocol API call (signed) sent as GET. */
    otherAction?: (req: FastifyRequest, reply: FastifyReply) => unknown;
  },
): void {
  app.get(signingCertPath({ certificateId: options.certificateId }), async (_req, reply) =>
    reply.type("application/x-pem-file").send(options.certificatePem),
  );

  app.get("/", async (req, reply) => {
    const query = req.query as Query;
    const action = one(query.Action);
    if (action === undefined && options.fallback) return options.fallback(req, reply);
    if (
      action !== undefined &&
      action !== "ConfirmSubscription" &&
      action !== "Unsubscribe" &&
      options.otherAction
    )
      return options.otherAction(req, reply);
    const requestId = randomUUID();
    const html = wantsHtml(req);
    try {
      if (action === "ConfirmSubscription") {
        const out = await ctx.topics.confirmSubscription({
          TopicArn: one(query.TopicArn),
          Token: one(query.Token),
        });
        ctx.logger.info({ subscription: out.SubscriptionArn }, "subscription confirmed by link");
        if (html) {
          return page(reply, 200, "Subscription confirmed!", [
            "You have successfully subscribed.",
            `Your subscription's id is: ${out.SubscriptionArn}`,
            "If it was not your intention to subscribe, use the unsubscribe link in any notification.",
          ]);
        }
        return xml(
          reply,
          200,
          `<ConfirmSubscriptionResponse xmlns="${SNS_XMLNS}">\n  <ConfirmSubscriptionResult>\n    <SubscriptionArn>${esc(out.SubscriptionArn)}</SubscriptionArn>\n  </ConfirmSubscriptionResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</ConfirmSubscriptionResponse>\n`,
        );
      }
      if (action === "Unsubscribe") {
        const arn = one(query.SubscriptionArn);
        const token = one(query.Token);
        if (token === undefined) {
          throw new SnsError(
            "InvalidParameterException",
            "Invalid parameter: Token Reason: the unsubscribe link needs its Token; otherwise call Unsubscribe signed",
          );
        }
        const sub = await ctx.topics.unsubscribeByToken(arn, token);
        ctx.logger.info({ subscription: sub.subscriptionArn }, "unsubscribed by link");
        if (html) {
          return page(reply, 200, "Subscription removed!", [
            `Your subscription to the topic ${sub.topicArn} has been removed.`,
            `${sub.endpoint} will no longer receive notifications from this topic.`,
          ]);
        }
        return xml(
          reply,
          200,
          `<UnsubscribeResponse xmlns="${SNS_XMLNS}">\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</UnsubscribeResponse>\n`,
        );
      }
      throw new SnsError(
        "InvalidParameterException",
        action === undefined
          ? "Invalid parameter: Action"
          : `Invalid parameter: Action Reason: ${action} is not an unsigned link`,
      );
    } catch (err) {
      if (!(err instanceof SnsError) && !isEndpointError(err)) throw err;
      const code = (err as { code?: string }).code ?? "InvalidParameterException";
      const status = code === "NotFoundException" ? 404 : 400;
      const message = (err as Error).message;
      if (html) return page(reply, status, "The link did not work", [message]);
      return xml(
        reply,
        status,
        `<ErrorResponse xmlns="${SNS_XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${esc(code.replace(/Exception$/, ""))}</Code>\n    <Message>${esc(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
      );
    }
  });
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isEndpointError(err: unknown): boolean {
  return err instanceof Error && err.name === "InvalidParameterException";
}

function wantsHtml(req: FastifyRequest): boolean {
  return /\btext\/html\b/.test(String(req.headers.accept ?? ""));
}

function xml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type("text/xml").send(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function page(reply: FastifyReply, status: number, title: string, lines: readonly string[]) {
  const body = lines.map((l) => `<p>${esc(l)}</p>`).join("\n");
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body style="font-family:sans-serif;max-width:40em;margin:2em auto;"><h1>${esc(title)}</h1>\n${body}\n</body></html>\n`,
    );
}
