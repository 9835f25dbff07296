/**
 * SNS operations (awsQuery, Version 2010-03-31). Subscribe and Publish go through the notifier, which also
 * queues the confirmation request or the notifications; the others are the topics service's.
 */
import { type OperationTable, read, write } from "./types.js";

export const SNS_OPERATIONS: OperationTable = {
  CreateTopic: { run: (i, ctx) => ctx.topics.createTopic(i) },
  DeleteTopic: write((i, ctx) => ctx.topics.deleteTopic(i)),
  ListTopics: read((i, ctx) => ctx.topics.listTopics(i)),
  GetTopicAttributes: read((i, ctx) => ctx.topics.getTopicAttributes(i)),
  SetTopicAttributes: write((i, ctx) => ctx.topics.setTopicAttributes(i)),
  Subscribe: { run: (i, ctx) => ctx.notifier.subscribe(i) },
  // Anyone holding the token may confirm (SNS sends the link unsigned in the confirmation message).
  ConfirmSubscription: { run: (i, ctx) => ctx.topics.confirmSubscription(i), anonymous: true },
  Unsubscribe: write((i, ctx) => ctx.topics.unsubscribe(i)),
  ListSubscriptions: read((i, ctx) => ctx.topics.listSubscriptions(i)),
  ListSubscriptionsByTopic: read((i, ctx) => ctx.topics.listSubscriptionsByTopic(i)),
  GetSubscriptionAttributes: read((i, ctx) => ctx.topics.getSubscriptionAttributes(i)),
  SetSubscriptionAttributes: write((i, ctx) => ctx.topics.setSubscriptionAttributes(i)),
  Publish: { run: (i, ctx) => ctx.notifier.publish(i) },
  // Terraform's aws_sns_topic reads its tags after every create.
  ListTagsForResource: read(async (i, ctx) => {
    const arn = i.ResourceArn;
    const topic = typeof arn === "string" ? await ctx.engine.store.getTopic(arn) : undefined;
    if (!topic)
      throw Object.assign(new Error("Resource does not exist"), { name: "ResourceNotFoundException" });
    return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
  }),
};
