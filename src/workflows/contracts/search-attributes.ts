import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Flow SID (FW…) of an execution: lists an execution's flow in the API and the Temporal UI. */
export const studioFlowSidKey = defineSearchAttributeKey('StudioFlowSid', SearchAttributeType.KEYWORD);
/** Contact address (REST `To`) of an execution. */
export const studioContactKey = defineSearchAttributeKey('StudioContact', SearchAttributeType.KEYWORD);
/** Conversation SID (CH…) once an execution has a conversation channel. */
export const conversationSidKey = defineSearchAttributeKey('ConversationSid', SearchAttributeType.KEYWORD);

/** Every custom search attribute the product writes; all must be registered on the namespace. */
export const STUDIO_SEARCH_ATTRIBUTES = [studioFlowSidKey, studioContactKey, conversationSidKey] as const;
