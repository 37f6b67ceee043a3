/**
 * The record that an inbound message was handed to the contact's active execution as a reply (DESIGN.md §8). Its
 * workflow ID is the execution SID the message would start (`inboundExecutionSid`), so once the record exists a
 * redelivered copy of the message can no longer start an execution: Temporal refuses the ID. Like the contact lock it
 * is started with a start delay and never runs: the API opens it before the signal and terminates it right after,
 * with the outcome as the reason ({@link REPLY_RECORD_OUTCOME}). Should a crash leave it open for the whole delay,
 * this body runs once and it is gone.
 */
export async function replyRecordWorkflow(): Promise<void> {
  // Nothing to do: the record is the workflow ID and its termination reason, not anything it does.
}

/** A record's termination reasons: the message reached its holder, or the holder was gone (the message starts one). */
export const REPLY_RECORD_OUTCOME = { delivered: 'delivered', notDelivered: 'not delivered' } as const;

export type ReplyRecordOutcome = (typeof REPLY_RECORD_OUTCOME)[keyof typeof REPLY_RECORD_OUTCOME];
