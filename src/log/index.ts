export * from './storage.js';
export * from './entry-id.js';
export { Sequencer, type SequencerOptions } from './sequencer.js';
export { TransparencyLog, LogIdentityError, type AddResult, type EntryView, type InclusionProofView, type LogOptions } from './log.js';
export { shardSigner, type ShardSigner } from './seal.js';
export { planIntegration } from './integrate.js';
