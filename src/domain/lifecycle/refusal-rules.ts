/**
 * Every rule by which the lifecycle engine refuses an event. A refused event changes nothing but
 * the lead's record of refusals; the rule id names the refusal in the API and in the lead's
 * history, so these ids are part of the contract.
 */
export type RefusalRule =
  /** The event type is one of the lifecycle's event types. */
  | 'known-event-type'
  /** The payload matches its event type's schema. */
  | 'valid-payload'
  /** A lead is created once. */
  | 'created-once'
  /** Every event but `lead.created` needs the lead to exist. */
  | 'lead-exists'
  /** A step comes from the stage it leaves (SAL from MQL, SQL from SAL…). */
  | 'stage-order'
  /** A manager review decision needs the lead in the manager review queue. */
  | 'manager-review-queue'
  /** A manager can promote to MQL only a lead that meets every entry criterion. */
  | 'mql-entry-criteria'
  /** An SDR rejects an MQL with a code of the SAL rejection taxonomy. */
  | 'sal-rejection-reason-code'
  /** The L2 SQL gate: booked meeting, required fields, required MEDDPIC items. */
  | 'sql-gate'
  /** An AE accepts an SQL only after confirming the briefing read. */
  | 'ae-acceptance-briefing-read'
  /** An AE rejects an SQL with a code of the AE rejection taxonomy. */
  | 'ae-rejection-reason-code'
  /** An opportunity is created only from an SQL the AE accepted. */
  | 'ae-accepted-first'
  /** A close date keeps the rule of its opportunity stage (section 07). */
  | 'opportunity-close-date-rule'
  /** A recycle names one of the policy's recycling scenarios. */
  | 'recycling-scenario'
  /** A disqualification gives a code of the SAL rejection taxonomy or a free-text reason. */
  | 'disqualification-reason-code'
  /** An SLA clock pauses only for a reason its item allows. */
  | 'pause-reason-allowed'
  /** A paused clock is not paused again. */
  | 'pause-once'
  /** Only a paused clock resumes. */
  | 'resume-paused'
  /** A resolution or root cause names an escalation the lead has. */
  | 'escalation-exists'
  /** An escalation is resolved once. */
  | 'escalation-open'
  /** A formal breach closes only with one of its documented manager actions. */
  | 'escalation-manager-action'
  /** A root cause is recorded only for an escalation that calls for one (critical breaches). */
  | 'root-cause-required'
  /** A completed task is one of the lead's open tasks. */
  | 'task-open'
