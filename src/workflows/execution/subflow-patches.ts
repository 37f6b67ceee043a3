/**
 * Since this patch, a parent knows about a hand-off (send-to-flex) its subflow made on the conversation it lent: it
 * adopts the `handed_off` channel when the child returns, the child reports the hand-off when it happens, and the
 * parent's cleanup leaves a handed-off conversation `handed_off`. Histories recorded before it replay as they ran.
 */
export const SUBFLOW_HAND_OFF_PATCH = 'subflow-hand-off';
